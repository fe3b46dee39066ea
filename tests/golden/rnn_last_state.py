"""Elman RNN encoder: only the final hidden state is kept."""
import jax
import jax.numpy as jnp


@jax.jit
def rnn_last_state(W, U, b, xs):
    h = jnp.zeros(W.shape[0], xs.dtype)
    for x in xs:
        h = jnp.tanh(W @ h + U @ x + b)
    return h


def _args(T):
    k1, k2, k3 = jax.random.split(jax.random.key(0), 3)
    W = jax.random.normal(k1, (8, 8)) / 4
    U = jax.random.normal(k2, (8, 4)) / 2
    return W, U, jnp.full((8,), 0.1), jax.random.normal(k3, (T, 4))


CASE = dict(entry="rnn_last_state", args=_args, grad="auto", unsafe=False, primitive="scan",
            differentiable=True, trip_counts=(4, 16))
