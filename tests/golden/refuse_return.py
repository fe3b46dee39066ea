"""Refused: an early return inside the loop body, with more than one statement after the loop
(only `loop; return w` has a one-expression equivalent, `return jnp.where(done, v, w)`)."""
import jax
import jax.numpy as jnp


@jax.jit
def first_crossing_value(xs, threshold):
    acc = jnp.zeros(())
    for x in xs:
        acc = acc + x
        if acc > threshold:
            return acc
    acc = acc / xs.shape[0]
    return acc


CASE = dict(reason="`return` inside the loop, and the function does not end with the loop and "
                   "one `return`")
