"""Path length from finite differences xs[i + 1] - xs[i]."""
import jax
import jax.numpy as jnp


@jax.jit
def path_length(xs):
    length = jnp.zeros(())
    for i in range(xs.shape[0] - 1):
        step = xs[i + 1] - xs[i]
        length = length + jnp.sqrt(jnp.sum(step ** 2) + 1e-6)
    return length


CASE = dict(entry="path_length", args=lambda T: (jax.random.normal(jax.random.key(0), (T, 2)),),
            grad="auto", unsafe=False, primitive="scan", differentiable=True, trip_counts=(4, 16))
