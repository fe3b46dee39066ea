"""Newton iterations for a root of x**3 - a, until the residual is small; counts the steps."""
import jax
import jax.numpy as jnp


@jax.jit
def cube_root(a, tol):
    x = jnp.float32(1.0) + a / 3.0
    n = jnp.int32(0)

    def cube_root_cond(carry):
        x, n = carry
        return jnp.abs(x ** 3 - a) > tol

    def cube_root_body(carry):
        x, n = carry
        x = x - (x ** 3 - a) / (3.0 * x ** 2)
        n = n + 1
        return x, n
    x, n = jax.lax.while_loop(cube_root_cond, cube_root_body, (x, n))
    return x, n


CASE = dict(entry="cube_root", args=lambda T: (jnp.float32(T * 3.5), jnp.float32(1e-3)),
            grad="auto", unsafe=True, primitive="while", differentiable=False, trip_counts=(4, 16))
