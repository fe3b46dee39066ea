"""A 2-D grid filled in place by two nested loops bound by shapes: `grid[i, j] = ...` becomes
`.at[i, j].set(...)`, then both loops become fori_loops (outermost first, in later rounds)."""
import jax
import jax.numpy as jnp


@jax.jit
def pairwise(xs, ys):
    grid = jnp.zeros((xs.shape[0], ys.shape[0]))
    for i in range(xs.shape[0]):
        for j in range(ys.shape[0]):
            grid[i, j] = jnp.exp(-(xs[i] - ys[j]) ** 2)
    return grid


CASE = dict(entry="pairwise",
            args=lambda T: (jax.random.normal(jax.random.key(0), (T,)),
                            jax.random.normal(jax.random.key(1), (5,))),
            grad=None, unsafe=False, primitive="scan", differentiable=True, trip_counts=(4, 16),
            original="raises:TypeError", reference="numpy")
