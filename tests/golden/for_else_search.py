"""`for ... else`: accumulate until a sample exceeds the limit; the `else:` block (no break)
applies a completion bonus."""
import jax
import jax.numpy as jnp


@jax.jit
def bounded_sum(xs, limit):
    total = jnp.zeros(())
    for x in xs:
        if x > limit:
            break
        total = total + x
    else:
        total = total * 1.5  # completed without hitting the limit
    return total


def _args(T):
    xs = 0.9 * jax.random.uniform(jax.random.key(0), (T,))
    if T > 8:  # the long run breaks; the short one reaches the else block
        xs = xs.at[T - 3].set(2.0)
    return xs, jnp.float32(0.97)


CASE = dict(entry="bounded_sum", args=_args, grad="auto", unsafe=True, primitive="scan",
            differentiable=True, trip_counts=(4, 16), raises=True)
