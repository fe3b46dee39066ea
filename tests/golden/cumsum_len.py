"""Running sum of a sequence of vectors, indexed with range(len(xs))."""
import jax
import jax.numpy as jnp


@jax.jit
def running_sum(xs):
    total = jnp.zeros(xs.shape[1])
    sums = []
    for i in range(len(xs)):
        total = total + xs[i]
        sums.append(total)
    return jnp.stack(sums)


CASE = dict(entry="running_sum", args=lambda T: (jax.random.normal(jax.random.key(0), (T, 5)),),
            grad=None, unsafe=False, primitive="scan", differentiable=True, trip_counts=(4, 16))
