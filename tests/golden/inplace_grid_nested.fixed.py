"""A 2-D grid filled in place by two nested loops bound by shapes: `grid[i, j] = ...` becomes
`.at[i, j].set(...)`, then both loops become fori_loops (outermost first, in later rounds)."""
import jax
import jax.numpy as jnp


@jax.jit
def pairwise(xs, ys):
    grid = jnp.zeros((xs.shape[0], ys.shape[0]))

    def pairwise_step(i, grid):
        def pairwise_step_step(j, grid):
            grid = grid.at[i, j].set(jnp.exp(-(xs[i] - ys[j]) ** 2))
            return grid
        grid = jax.lax.fori_loop(0, ys.shape[0], pairwise_step_step, grid)
        return grid
    grid = jax.lax.fori_loop(0, xs.shape[0], pairwise_step, grid)
    return grid


CASE = dict(entry="pairwise",
            args=lambda T: (jax.random.normal(jax.random.key(0), (T,)),
                            jax.random.normal(jax.random.key(1), (5,))),
            grad=None, unsafe=False, primitive="scan", differentiable=True, trip_counts=(4, 16),
            original="raises:TypeError", reference="numpy")
