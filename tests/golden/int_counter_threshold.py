"""Counts rows above a threshold and keeps the index of the largest row sum: two strongly typed
int32 carries whose updates stay integer (a comparison, jnp.where of the index), so the rewrite
is safe; a float update would be refused (refuse_int_counter_float_mask)."""
import jax
import jax.numpy as jnp


@jax.jit
def count_and_argmax(xs, threshold):
    n_above = jnp.zeros((), jnp.int32)
    best_i = jnp.zeros((), jnp.int32)
    best = jnp.full((), -jnp.inf)
    for i in range(xs.shape[0]):
        s = jnp.sum(xs[i])
        n_above += s > threshold
        best_i = jnp.where(s > best, i, best_i)
        best = jnp.maximum(best, s)
    return n_above, best_i, best


CASE = dict(entry="count_and_argmax",
            args=lambda T: (jax.random.normal(jax.random.key(0), (T, 3)), jnp.float32(0.5)),
            grad=None, unsafe=False, primitive="scan", differentiable=False, trip_counts=(4, 16))
