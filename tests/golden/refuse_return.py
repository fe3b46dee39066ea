"""Refused: an early return inside the loop body."""
import jax
import jax.numpy as jnp


@jax.jit
def first_crossing_value(xs, threshold):
    acc = jnp.zeros(())
    for x in xs:
        acc = acc + x
        if acc > threshold:
            return acc
    return acc


CASE = dict(reason='the body has `return` inside the loop')
