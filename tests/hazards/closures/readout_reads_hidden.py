"""Trap: `readout` is defined before the loop and reads `h`, which the loop rebinds. Python's
closure sees each new `h` (late binding); inside a scan step it would still see the first."""
import jax
import jax.numpy as jnp


@jax.jit
def rnn_readout(W, V, h, xs: jax.Array):
    def readout():
        return jnp.sum(V @ h)

    total = jnp.zeros(())
    for x in xs:
        h = jnp.tanh(W @ h + x)
        total = total + readout()
    return total


# --- hand-written lax rewrite -------------------------------------------------------------

@jax.jit
def rnn_readout_lax(W, V, h, xs):
    def step(carry, x):
        h, total = carry
        h = jnp.tanh(W @ h + x)
        return (h, total + jnp.sum(V @ h)), None

    (_, total), _ = jax.lax.scan(step, (h, jnp.zeros(())), xs)
    return total


def _args(T):
    k1, k2, k3, k4 = jax.random.split(jax.random.key(1), 4)
    return (jax.random.normal(k1, (4, 4)) / 3, jax.random.normal(k2, (2, 4)),
            jax.random.normal(k3, (4,)), jax.random.normal(k4, (T, 4)))


CASE = dict(entry="rnn_readout", rewrite="rnn_readout_lax", args=_args,
            hazard="closures/late-binding", expect="refuse", primitive="scan")
