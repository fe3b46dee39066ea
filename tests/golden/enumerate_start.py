"""Total variation of a trajectory: enumerate(xs[1:], start=1) pairs a frame with the one before."""
import jax
import jax.numpy as jnp


@jax.jit
def total_variation(xs):
    tv = jnp.zeros(())
    for i, x in enumerate(xs[1:], start=1):
        tv = tv + jnp.sum(jnp.abs(x - xs[i - 1]))
    return tv


CASE = dict(entry="total_variation", args=lambda T: (jax.random.normal(jax.random.key(0), (T, 3)),),
            grad="auto", unsafe=True, primitive="scan", differentiable=True, trip_counts=(4, 16))
