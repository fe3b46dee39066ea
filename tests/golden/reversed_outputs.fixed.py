"""Backward RNN: reversed(xs) with per-step outputs stacked in visit order."""
import jax
import jax.numpy as jnp


@jax.jit
def backward_rnn(W, xs):
    h = jnp.zeros(W.shape[0], xs.dtype)

    def backward_rnn_step(h, x):
        h = jnp.tanh(W @ h + x)
        return h, h
    h, outs = jax.lax.scan(backward_rnn_step, h, xs[::-1])
    return outs


def _args(T):
    k1, k2 = jax.random.split(jax.random.key(0))
    return jax.random.normal(k1, (4, 4)) / 3, jax.random.normal(k2, (T, 4))


CASE = dict(entry="backward_rnn", args=_args, grad="auto", unsafe=False, primitive="scan",
            differentiable=True, trip_counts=(4, 16))
