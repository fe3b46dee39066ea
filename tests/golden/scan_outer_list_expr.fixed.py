"""JXL203 with an appended expression (not a name) and a `jnp.array` consumer: the value is
bound to `outs_t` where it was appended, so later statements of the step cannot change it."""
import jax
import jax.numpy as jnp


def filter_track(a, ys, x0):
    def update(x, y):
        x = a * x + 0.3 * (y - a * x)
        estimates_t = x * 10.0
        x = jnp.clip(x, -5.0, 5.0)
        return x, estimates_t

    x, estimates = jax.lax.scan(update, x0, ys)
    return x, estimates


def _args(T):
    return jnp.float32(0.9), jax.random.normal(jax.random.key(2), (T, 2)) * 4.0, jnp.zeros(2)


CASE = dict(entry="filter_track", args=_args, grad="auto", unsafe=True, primitive="scan",
            differentiable=True, trip_counts=(4, 16), original="lax")
