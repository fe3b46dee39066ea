"""Power iteration for the dominant eigenpair, one step per matrix dimension (a shape bound)."""
import jax
import jax.numpy as jnp


@jax.jit
def power_iteration(A, v):
    def power_iteration_step(_, v):
        v = A @ v
        v = v / jnp.linalg.norm(v)
        return v
    v = jax.lax.fori_loop(0, A.shape[0], power_iteration_step, v)
    return v, v @ A @ v


def _args(T):
    k1, k2 = jax.random.split(jax.random.key(0))
    M = jax.random.normal(k1, (T, T))
    return M @ M.T / T + jnp.eye(T), jax.random.normal(k2, (T,))


CASE = dict(entry="power_iteration", args=_args, grad=None, unsafe=False, primitive="scan",
            differentiable=True, trip_counts=(4, 16))
