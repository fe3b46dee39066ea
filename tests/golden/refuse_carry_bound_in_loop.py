"""Refused: `h` is first bound inside the loop, so it has no initial value to carry."""
import jax
import jax.numpy as jnp


@jax.jit
def last_projection(W, xs):
    for x in xs:
        h = jnp.tanh(W @ x)
    return h


CASE = dict(reason="`h` is first assigned inside the loop")
