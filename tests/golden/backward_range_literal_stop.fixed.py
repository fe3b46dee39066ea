"""Backward smoothing pass over T - 1, ..., 0 with range(T - 1, -1, -1) and outputs."""
import jax
import jax.numpy as jnp


@jax.jit
def backward_smooth(xs, alpha):
    T = xs.shape[0]
    s = xs[T - 1]

    def backward_smooth_step(s, t):
        s = alpha * xs[t] + (1.0 - alpha) * s
        return s, s
    s, smoothed = jax.lax.scan(backward_smooth_step, s, jnp.arange(T - 1, -1, -1))
    return smoothed


def _args(T):
    return jax.random.normal(jax.random.key(0), (T, 3)), jnp.float32(0.3)


CASE = dict(entry="backward_smooth", args=_args, grad=None, unsafe=False, primitive="scan",
            differentiable=True, trip_counts=(4, 16))
