"""Trap: the closure hides in a default argument: `def readout(f=lambda: h)` binds the lambda
once, but the lambda itself reads `h` when it runs. Python sees each step's `h`; in a scan
step the lambda would read the `h` of the enclosing function, the initial state."""
import jax
import jax.numpy as jnp


@jax.jit
def smoothed(W, h, xs: jax.Array):
    def readout(f=lambda: h):
        return jnp.sum(f())

    total = jnp.zeros(())
    for x in xs:
        h = jnp.tanh(W @ h + x)
        total = total + readout()
    return total


# --- hand-written lax rewrite -------------------------------------------------------------

@jax.jit
def smoothed_lax(W, h, xs):
    def step(carry, x):
        h, total = carry
        h = jnp.tanh(W @ h + x)
        return (h, total + jnp.sum(h)), None

    (_, total), _ = jax.lax.scan(step, (h, jnp.zeros(())), xs)
    return total


def _args(T):
    k1, k2, k3 = jax.random.split(jax.random.key(31), 3)
    return (jax.random.normal(k1, (4, 4)) / 3, jax.random.normal(k2, (4,)),
            jax.random.normal(k3, (T, 4)))


CASE = dict(entry="smoothed", rewrite="smoothed_lax", args=_args,
            hazard="closures/late-binding", expect="refuse", primitive="scan")
