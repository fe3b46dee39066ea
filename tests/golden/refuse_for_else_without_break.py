"""Refused: a `for ... else` whose body has no `break` (the else block always runs; a human
should fold it into the code after the loop)."""
import jax
import jax.numpy as jnp


@jax.jit
def total_then_scale(xs):
    total = jnp.zeros(())
    for x in xs:
        total = total + x
    else:
        total = total * 2.0
    return total


CASE = dict(reason="the loop has an `else:` clause without a masked `break`")
