"""Batched RNN over time-major inputs, returning batch-major features with jnp.stack(axis=1)."""
import jax
import jax.numpy as jnp


@jax.jit
def batch_major_rnn(W, xs):
    h = jnp.zeros((xs.shape[1], W.shape[0]))

    def batch_major_rnn_step(h, x):
        h = jnp.tanh(h @ W.T + x)
        return h, h
    h, feats = jax.lax.scan(batch_major_rnn_step, h, xs)
    return jnp.moveaxis(feats, 0, 1)


def _args(T):
    k1, k2 = jax.random.split(jax.random.key(0))
    return jax.random.normal(k1, (4, 4)) / 3, jax.random.normal(k2, (T, 2, 4))


CASE = dict(entry="batch_major_rnn", args=_args, grad=None, unsafe=False, primitive="scan",
            differentiable=True, trip_counts=(4, 16))
