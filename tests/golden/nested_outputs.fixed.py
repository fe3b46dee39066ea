"""Spatial recurrence over a grid: an outer loop over rows and an inner loop over columns, both
collecting per-step outputs (rewritten inner-most last, in two rounds)."""
import jax
import jax.numpy as jnp


@jax.jit
def grid_recurrence(grid, decay):
    h = jnp.zeros((), grid.dtype)

    def grid_recurrence_step(h, row):
        def grid_recurrence_step_step(h, j):
            h = decay * h + row[j]
            return h, h
        h, cols = jax.lax.scan(grid_recurrence_step_step, h, jnp.arange(row.shape[0]))
        return h, cols
    h, rows = jax.lax.scan(grid_recurrence_step, h, grid)
    return rows


def _args(T):
    return jax.random.normal(jax.random.key(0), (T, 3)), jnp.float32(0.7)


CASE = dict(entry="grid_recurrence", args=_args, grad="auto", unsafe=False, primitive="scan",
            differentiable=True, trip_counts=(4, 16))
