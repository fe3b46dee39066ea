"""Early stop on a traced condition: sum a stream until the first negative reading (break)."""
import jax
import jax.numpy as jnp


@jax.jit
def sum_until_negative(xs):
    total = jnp.zeros(())

    def sum_until_negative_step(carry, x):
        total, done = carry
        total_prev = total
        stop = x < 0
        total = total + x
        total = jnp.where(done | stop, total_prev, total)
        return (total, done | stop), None
    (total, _), _ = jax.lax.scan(sum_until_negative_step, (total, False), xs)
    return total


def _args(T):
    xs = jax.random.uniform(jax.random.key(0), (T,)) + 0.1
    return (xs.at[3 * T // 4].set(-1.0),)


CASE = dict(entry="sum_until_negative", args=_args, grad="auto", unsafe=True, primitive="scan",
            differentiable=True, trip_counts=(4, 16), raises=True)
