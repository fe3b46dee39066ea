"""Trap: `return t` at the first crossing, `return -1` otherwise: both paths are Python ints
(weakly typed int32). A masked scan's `jnp.where(done, t, -1)` with a traced `t` returns a
strongly typed int32: the weak type changes silently."""
import jax
import jax.numpy as jnp


@jax.jit
def crossing_time(xs: jax.Array, threshold):
    level = jnp.zeros(())
    for t, x in enumerate(xs):
        level = 0.9 * level + x
        if level > threshold:
            return t
    return -1


# --- hand-written lax rewrite -------------------------------------------------------------

import numpy as np  # noqa: E402
from jax._src.lax.lax import _convert_element_type  # noqa: E402


@jax.jit
def crossing_time_lax(xs, threshold):
    def step(carry, tx):
        level, done, found = carry
        t, x = tx
        level = 0.9 * level + x
        hit = ~done & (level > threshold)
        return (level, done | hit, jnp.where(hit, t, found)), None

    (_, done, found), _ = jax.lax.scan(step, (jnp.zeros(()), False, -1),
                                       (jnp.arange(xs.shape[0]), xs))
    # a Python int on both paths: weakly typed
    return _convert_element_type(jnp.where(done, found, -1), np.dtype("int32"), weak_type=True)


def _args(T):
    return jax.random.uniform(jax.random.key(120), (T,)), jnp.float32(1.2)


CASE = dict(entry="crossing_time", rewrite="crossing_time_lax", args=_args,
            hazard="unsafe/early-return-types", expect="refuse", primitive="scan")
