"""Trap: `return i` (a `range` index) at the first negative residual, `return xs.shape[0]`
after the loop: Python ints on both paths, a strong int32 from `jnp.where` in a masked scan."""
import jax
import jax.numpy as jnp


@jax.jit
def first_negative(xs: jax.Array):
    balance = jnp.ones(())
    for i in range(xs.shape[0]):
        balance = balance + xs[i]
        if balance < 0:
            return i
    return xs.shape[0]


# --- hand-written lax rewrite -------------------------------------------------------------

import numpy as np  # noqa: E402
from jax._src.lax.lax import _convert_element_type  # noqa: E402


@jax.jit
def first_negative_lax(xs):
    def step(carry, i):
        balance, done, found = carry
        balance = balance + xs[i]
        hit = ~done & (balance < 0)
        return (balance, done | hit, jnp.where(hit, i, found)), None

    (_, done, found), _ = jax.lax.scan(step, (jnp.ones(()), False, 0), jnp.arange(xs.shape[0]))
    return _convert_element_type(jnp.where(done, found, xs.shape[0]), np.dtype("int32"),
                                 weak_type=True)


def _args(T):
    return (jax.random.normal(jax.random.key(121), (T,)),)


CASE = dict(entry="first_negative", rewrite="first_negative_lax", args=_args,
            hazard="unsafe/early-return-types", expect="refuse", primitive="scan",
            trip_counts=(2, 6))
