"""Elman RNN that returns every hidden state (T, H) and the final state."""
import jax
import jax.numpy as jnp


@jax.jit
def rnn_outputs(W, U, h, xs):
    hs = []
    for x in xs:
        h = jnp.tanh(W @ h + U @ x)
        hs.append(h)
    return h, jnp.stack(hs)


def _args(T):
    k1, k2, k3 = jax.random.split(jax.random.key(0), 3)
    W = jax.random.normal(k1, (8, 8)) / 4
    U = jax.random.normal(k2, (8, 4)) / 2
    return W, U, jnp.zeros(8), jax.random.normal(k3, (T, 4))


CASE = dict(entry="rnn_outputs", args=_args, grad="auto", unsafe=True, primitive="scan",
            differentiable=True, trip_counts=(4, 16))
