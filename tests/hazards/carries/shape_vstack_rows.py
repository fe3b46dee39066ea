"""Trap: `rows = jnp.vstack([rows, x * 2])` grows the carry by a row per step (a stacking
call other than concatenate)."""
import jax
import jax.numpy as jnp


@jax.jit
def doubled(xs: jax.Array):
    rows = jnp.zeros((0, 4))
    for x in xs:
        rows = jnp.vstack([rows, x * 2])
    return rows


# --- hand-written lax rewrite -------------------------------------------------------------

@jax.jit
def doubled_lax(xs):
    _, rows = jax.lax.scan(lambda c, x: (c, x * 2), 0, xs)
    return rows


def _args(T):
    return (jax.random.normal(jax.random.key(74), (T, 4)),)


CASE = dict(entry="doubled", rewrite="doubled_lax", args=_args, hazard="carries/shape-change",
            expect="refuse", primitive="scan",
            unsafe_raise_note={"carry output must have equal types": "shape"})
