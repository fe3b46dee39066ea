"""Refused: the loop index is used as a number (i * dt), not only to index arrays."""
import jax
import jax.numpy as jnp


@jax.jit
def time_weighted(xs, dt):
    acc = jnp.zeros(xs.shape[1])
    for i in range(xs.shape[0]):
        acc = acc + jnp.exp(-i * dt) * xs[i]
    return acc


CASE = dict(reason='the loop index `i` is used as a Python number')
