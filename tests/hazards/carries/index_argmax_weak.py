"""Trap: a running argmax `best = jnp.where(x > top, i, best)` with `best = 0`: in Python
every candidate is a weak int, so `best` stays weakly typed; with a traced int32 index it
becomes strongly typed int32 (weak_type changes the promotion of whatever uses it)."""
import jax
import jax.numpy as jnp


@jax.jit
def argmax_scan(xs: jax.Array):
    best = 0
    top = jnp.float32(-1e9)
    for i in range(xs.shape[0]):
        best = jnp.where(jnp.sum(xs[i]) > top, i, best)
        top = jnp.maximum(top, jnp.sum(xs[i]))
    return best, top


# --- hand-written lax rewrite -------------------------------------------------------------

import numpy as np  # noqa: E402
from jax._src.lax.lax import _convert_element_type  # noqa: E402


@jax.jit
def argmax_scan_lax(xs):
    def step(carry, i):
        best, top = carry
        s = jnp.sum(xs[i])
        weak_i = _convert_element_type(i, np.dtype("int32"), weak_type=True)  # as Python's int
        return (jnp.where(s > top, weak_i, best), jnp.maximum(top, s)), None

    (best, top), _ = jax.lax.scan(step, (0, jnp.float32(-1e9)), jnp.arange(xs.shape[0]))
    return best, top


def _args(T):
    return (jax.random.normal(jax.random.key(82), (T, 4)),)


CASE = dict(entry="argmax_scan", rewrite="argmax_scan_lax", args=_args,
            hazard="carries/loop-index-dtype", expect="refuse", primitive="scan")
