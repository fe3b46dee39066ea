"""Trap: a small class defined before the loop whose `__call__` reads `h` from the enclosing
function: an instance called in the loop sees each step's `h` in Python, the initial one in
a scan step."""
import jax
import jax.numpy as jnp


@jax.jit
def probe(W, h, xs: jax.Array):
    class Readout:
        def __call__(self, scale):
            return scale * jnp.sum(h)

    read = Readout()
    total = jnp.zeros(())
    for x in xs:
        h = jnp.tanh(W @ h + x)
        total = total + read(0.5)
    return total


# --- hand-written lax rewrite -------------------------------------------------------------

@jax.jit
def probe_lax(W, h, xs):
    def step(carry, x):
        h, total = carry
        h = jnp.tanh(W @ h + x)
        return (h, total + 0.5 * jnp.sum(h)), None

    (_, total), _ = jax.lax.scan(step, (h, jnp.zeros(())), xs)
    return total


def _args(T):
    k1, k2, k3 = jax.random.split(jax.random.key(38), 3)
    return (jax.random.normal(k1, (4, 4)) / 3, jax.random.normal(k2, (4,)),
            jax.random.normal(k3, (T, 4)))


CASE = dict(entry="probe", rewrite="probe_lax", args=_args, hazard="closures/late-binding",
            expect="refuse", primitive="scan")
