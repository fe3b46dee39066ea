"""Refused: the early return returns a tuple, which jnp.where cannot select as one value."""
import jax
import jax.numpy as jnp


@jax.jit
def first_crossing(xs, threshold):
    acc = jnp.zeros(())
    for x in xs:
        acc = acc + x
        if acc > threshold:
            return acc, True
    return acc, False


CASE = dict(reason="`return` inside the loop returns a container")
