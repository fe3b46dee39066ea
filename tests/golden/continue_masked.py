"""Sum of the unmasked rows: continue skips the masked steps."""
import jax
import jax.numpy as jnp


@jax.jit
def masked_sum(xs, mask):
    total = jnp.zeros(xs.shape[1])
    for i in range(xs.shape[0]):
        if mask[i] == 0:
            continue
        total = total + xs[i]
    return total


def _args(T):
    k1, k2 = jax.random.split(jax.random.key(0))
    return jax.random.normal(k1, (T, 3)), (jax.random.uniform(k2, (T,)) < 0.6).astype(jnp.int32)


CASE = dict(entry="masked_sum", args=_args, grad="auto", unsafe=True, primitive="scan",
            differentiable=True, trip_counts=(4, 16), raises=True)
