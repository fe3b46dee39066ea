"""Weighted sum with enumerate: the index only picks the matching weight."""
import jax
import jax.numpy as jnp


@jax.jit
def weighted_sum(xs, weights):
    acc = jnp.zeros(xs.shape[1])
    for i, x in enumerate(xs):
        acc = acc + weights[i] * x
    return acc


def _args(T):
    k1, k2 = jax.random.split(jax.random.key(0))
    return jax.random.normal(k1, (T, 3)), jax.random.uniform(k2, (T,))


CASE = dict(entry="weighted_sum", args=_args, grad="auto", unsafe=False, primitive="scan",
            differentiable=True, trip_counts=(4, 16))
