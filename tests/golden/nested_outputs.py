"""Spatial recurrence over a grid: an outer loop over rows and an inner loop over columns, both
collecting per-step outputs (rewritten inner-most last, in two rounds)."""
import jax
import jax.numpy as jnp


@jax.jit
def grid_recurrence(grid, decay):
    h = jnp.zeros((), grid.dtype)
    rows = []
    for row in grid:
        cols = []
        for j in range(row.shape[0]):
            h = decay * h + row[j]
            cols.append(h)
        rows.append(jnp.stack(cols))
    return jnp.stack(rows)


def _args(T):
    return jax.random.normal(jax.random.key(0), (T, 3)), jnp.float32(0.7)


CASE = dict(entry="grid_recurrence", args=_args, grad="auto", unsafe=False, primitive="scan",
            differentiable=True, trip_counts=(4, 16))
