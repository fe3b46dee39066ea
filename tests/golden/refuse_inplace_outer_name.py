"""Refused: the array written in place belongs to the enclosing function; `x = x.at[...]` in
the nested function would make `x` a local of it (UnboundLocalError)."""
import jax
import jax.numpy as jnp


@jax.jit
def fill(xs):
    out = jnp.zeros(xs.shape)

    def put(i, v):
        out[i] = v

    put(0, xs[0])
    return out


CASE = dict(reason="`out` belongs to an enclosing scope")
