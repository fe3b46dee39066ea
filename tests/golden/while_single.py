"""Doubling a step size until the bracket contains the root: a while loop on a traced condition."""
import jax
import jax.numpy as jnp


@jax.jit
def bracket_width(scale):
    width = jnp.float32(0.01)
    while width < scale:
        width = width * 2.0
    return width


CASE = dict(entry="bracket_width", args=lambda T: (jnp.float32(0.01 * 2.0 ** (T - 0.5)),),
            grad="auto", unsafe=True, primitive="while", differentiable=False, trip_counts=(4, 16))
