"""Control: the helper is defined inside the loop body, so it moves into the step function
with the body and reads the step's `h`: a correct fix exists and is safe."""
import jax
import jax.numpy as jnp


@jax.jit
def rnn_energy(W, h, xs: jax.Array):
    energy = jnp.zeros(())
    for x in xs:
        def cell(v):
            return jnp.tanh(W @ v + x)

        h = cell(h)
        energy = energy + jnp.sum(h ** 2)
    return h, energy


# --- hand-written lax rewrite -------------------------------------------------------------

@jax.jit
def rnn_energy_lax(W, h, xs):
    def step(carry, x):
        h, energy = carry
        h = jnp.tanh(W @ h + x)
        return (h, energy + jnp.sum(h ** 2)), None

    (h, energy), _ = jax.lax.scan(step, (h, jnp.zeros(())), xs)
    return h, energy


def _args(T):
    k1, k2, k3 = jax.random.split(jax.random.key(8), 3)
    return (jax.random.normal(k1, (4, 4)) / 3, jax.random.normal(k2, (4,)),
            jax.random.normal(k3, (T, 4)))


CASE = dict(entry="rnn_energy", rewrite="rnn_energy_lax", args=_args,
            hazard="closures/late-binding", expect="safe", primitive="scan")
