"""Early stop on a traced condition: sum a stream until the first negative reading (break)."""
import jax
import jax.numpy as jnp


@jax.jit
def sum_until_negative(xs):
    total = jnp.zeros(())
    for x in xs:
        if x < 0:
            break
        total = total + x
    return total


def _args(T):
    xs = jax.random.uniform(jax.random.key(0), (T,)) + 0.1
    return (xs.at[3 * T // 4].set(-1.0),)


CASE = dict(entry="sum_until_negative", args=_args, grad="auto", unsafe=True, primitive="scan",
            differentiable=True, trip_counts=(4, 16), raises=True)
