"""Running sum of a sequence of vectors, indexed with range(len(xs))."""
import jax
import jax.numpy as jnp


@jax.jit
def running_sum(xs):
    total = jnp.zeros(xs.shape[1])

    def running_sum_step(total, i):
        total = total + xs[i]
        return total, total
    total, sums = jax.lax.scan(running_sum_step, total, jnp.arange(len(xs)))
    return sums


CASE = dict(entry="running_sum", args=lambda T: (jax.random.normal(jax.random.key(0), (T, 5)),),
            grad=None, unsafe=False, primitive="scan", differentiable=True, trip_counts=(4, 16))
