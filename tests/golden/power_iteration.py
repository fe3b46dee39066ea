"""Power iteration for the dominant eigenpair, one step per matrix dimension (a shape bound)."""
import jax
import jax.numpy as jnp


@jax.jit
def power_iteration(A, v):
    for _ in range(A.shape[0]):
        v = A @ v
        v = v / jnp.linalg.norm(v)
    return v, v @ A @ v


def _args(T):
    k1, k2 = jax.random.split(jax.random.key(0))
    M = jax.random.normal(k1, (T, T))
    return M @ M.T / T + jnp.eye(T), jax.random.normal(k2, (T,))


CASE = dict(entry="power_iteration", args=_args, grad=None, unsafe=False, primitive="scan",
            differentiable=True, trip_counts=(4, 16))
