"""Prefix sums written into a preallocated buffer in place, numpy style: `out[i] = ...` raises
TypeError on a JAX array. The item writes become `.at[i].set(...)` / `.at[i].add(...)` first,
then the loop, whose carry is now `out`, becomes a fori_loop."""
import jax
import jax.numpy as jnp


@jax.jit
def prefix_sums(xs):
    out = jnp.zeros(xs.shape)
    running = jnp.zeros(xs.shape[1:])
    for i in range(xs.shape[0]):
        running = running + xs[i]
        out[i] = running  # row i holds the sum of rows 0..i
        out[i] *= 0.5
    return out


CASE = dict(entry="prefix_sums",
            args=lambda T: (jax.random.normal(jax.random.key(0), (T, 3)),),
            grad=None, unsafe=False, primitive="scan", differentiable=True, trip_counts=(4, 16),
            original="raises:TypeError", reference="numpy")
