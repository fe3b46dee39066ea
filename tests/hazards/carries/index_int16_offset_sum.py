"""Trap: `pos = pos + i` with an int16 position array: int16 with a Python int index, int32
with a traced one, so the carry's dtype changes (a scan raises) where Python was fine."""
import jax
import jax.numpy as jnp


@jax.jit
def positions(pos: jax.Array, xs: jax.Array):
    for i in range(xs.shape[0]):
        pos = pos + i
    return pos


# --- hand-written lax rewrite -------------------------------------------------------------

@jax.jit
def positions_lax(pos, xs):
    pos, _ = jax.lax.scan(lambda p, i: (p + i.astype(p.dtype), None), pos,
                          jnp.arange(xs.shape[0]))
    return pos


def _args(T):
    return jnp.arange(4, dtype=jnp.int16), jax.random.normal(jax.random.key(84), (T, 4))


CASE = dict(entry="positions", rewrite="positions_lax", args=_args,
            hazard="carries/loop-index-dtype", expect="refuse", primitive="scan",
            unsafe_raise_note={"carry output must have equal types": ("dtype", "int32")})
