"""Prefix sums written into a preallocated buffer in place, numpy style: `out[i] = ...` raises
TypeError on a JAX array. The item writes become `.at[i].set(...)` / `.at[i].add(...)` first,
then the loop, whose carry is now `out`, becomes a fori_loop."""
import jax
import jax.numpy as jnp


@jax.jit
def prefix_sums(xs):
    out = jnp.zeros(xs.shape)
    running = jnp.zeros(xs.shape[1:])

    def prefix_sums_step(i, carry):
        running, out = carry
        running = running + xs[i]
        out = out.at[i].set(running)  # row i holds the sum of rows 0..i
        out = out.at[i].multiply(0.5)
        return running, out
    running, out = jax.lax.fori_loop(0, xs.shape[0], prefix_sums_step, (running, out))
    return out


CASE = dict(entry="prefix_sums",
            args=lambda T: (jax.random.normal(jax.random.key(0), (T, 3)),),
            grad=None, unsafe=False, primitive="scan", differentiable=True, trip_counts=(4, 16),
            original="raises:TypeError", reference="numpy")
