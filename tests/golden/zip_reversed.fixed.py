"""Bidirectional mixing: each input meets the time-reversed other stream (zip + reversed)."""
import jax
import jax.numpy as jnp


@jax.jit
def bidirectional_mix(W, xs, ys):
    h = jnp.zeros(W.shape[0], xs.dtype)

    def bidirectional_mix_step(h, x_y):
        x, y = x_y
        h = jnp.tanh(W @ h + x * y)
        return h, None
    h, _ = jax.lax.scan(bidirectional_mix_step, h, (xs, ys[::-1]))
    return h


def _args(T):
    k1, k2, k3 = jax.random.split(jax.random.key(0), 3)
    return (jax.random.normal(k1, (3, 3)) / 2, jax.random.normal(k2, (T, 3)),
            jax.random.normal(k3, (T, 3)))


CASE = dict(entry="bidirectional_mix", args=_args, grad="auto", unsafe=True, primitive="scan",
            differentiable=True, trip_counts=(4, 16))
