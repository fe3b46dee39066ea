"""Backward smoothing pass over T - 1, ..., 0 with range(T - 1, -1, -1) and outputs."""
import jax
import jax.numpy as jnp


@jax.jit
def backward_smooth(xs, alpha):
    T = xs.shape[0]
    s = xs[T - 1]
    smoothed = []
    for t in range(T - 1, -1, -1):
        s = alpha * xs[t] + (1.0 - alpha) * s
        smoothed.append(s)
    return jnp.stack(smoothed)


def _args(T):
    return jax.random.normal(jax.random.key(0), (T, 3)), jnp.float32(0.3)


CASE = dict(entry="backward_smooth", args=_args, grad=None, unsafe=False, primitive="scan",
            differentiable=True, trip_counts=(4, 16))
