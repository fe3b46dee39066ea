"""Exponential moving average of feature vectors, stacked along the last axis (features x time)."""
import jax
import jax.numpy as jnp


@jax.jit
def ema_trace(xs, decay):
    avg = jnp.mean(xs, axis=0)

    def ema_trace_step(avg, x):
        avg = decay * avg + (1.0 - decay) * x
        return avg, avg
    avg, trace = jax.lax.scan(ema_trace_step, avg, xs)
    return jnp.moveaxis(trace, 0, -1)


def _args(T):
    return jax.random.normal(jax.random.key(0), (T, 3)), jnp.float32(0.8)


CASE = dict(entry="ema_trace", args=_args, grad="auto", unsafe=False, primitive="scan",
            differentiable=True, trip_counts=(4, 16))
