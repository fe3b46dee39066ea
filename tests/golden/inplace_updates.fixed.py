"""In-place updates outside any loop: each augmented assignment has its own `.at` method, and
`//=` (which has none) becomes a read-combine-set."""
import jax
import jax.numpy as jnp


@jax.jit
def adjust(xs, ys):
    grid = jnp.ones((4, xs.shape[0]))
    grid = grid.at[0].set(xs)
    grid = grid.at[1, :].add(ys)
    grid = grid.at[2].subtract(0.5 * xs)
    grid = grid.at[3, 1:].multiply(3.0)
    grid = grid.at[:, 0].divide(2.0)
    counts = jnp.full((3,), 7)
    counts = counts.at[1].set(counts[1] // 2)
    return grid, counts


CASE = dict(entry="adjust",
            args=lambda T: (jax.random.normal(jax.random.key(0), (T,)),
                            jax.random.normal(jax.random.key(1), (T,))),
            grad=None, unsafe=False, primitive=None, differentiable=True, trip_counts=(4, 16),
            original="raises:TypeError", reference="numpy")
