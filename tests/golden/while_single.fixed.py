"""Doubling a step size until the bracket contains the root: a while loop on a traced condition."""
import jax
import jax.numpy as jnp


@jax.jit
def bracket_width(scale):
    width = jnp.float32(0.01)

    def bracket_width_cond(width):
        return width < scale

    def bracket_width_body(width):
        width = width * 2.0
        return width
    width = jax.lax.while_loop(bracket_width_cond, bracket_width_body, width)
    return width


CASE = dict(entry="bracket_width", args=lambda T: (jnp.float32(0.01 * 2.0 ** (T - 0.5)),),
            grad="auto", unsafe=True, primitive="while", differentiable=False, trip_counts=(4, 16))
