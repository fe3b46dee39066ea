"""Refused: the loop variable is read after the loop."""
import jax
import jax.numpy as jnp


@jax.jit
def final_residual(W, xs):
    h = jnp.zeros(W.shape[0])
    for x in xs:
        h = jnp.tanh(W @ h + x)
    return h - x


CASE = dict(reason='the loop variable `x` is read after the loop')
