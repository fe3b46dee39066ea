"""Elman RNN that returns every hidden state (T, H) and the final state."""
import jax
import jax.numpy as jnp


@jax.jit
def rnn_outputs(W, U, h, xs):
    def rnn_outputs_step(h, x):
        h = jnp.tanh(W @ h + U @ x)
        return h, h
    h, hs = jax.lax.scan(rnn_outputs_step, h, xs)
    return h, hs


def _args(T):
    k1, k2, k3 = jax.random.split(jax.random.key(0), 3)
    W = jax.random.normal(k1, (8, 8)) / 4
    U = jax.random.normal(k2, (8, 4)) / 2
    return W, U, jnp.zeros(8), jax.random.normal(k3, (T, 4))


CASE = dict(entry="rnn_outputs", args=_args, grad="auto", unsafe=True, primitive="scan",
            differentiable=True, trip_counts=(4, 16))
