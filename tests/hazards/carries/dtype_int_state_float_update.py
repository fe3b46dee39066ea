"""Trap: an int32 counter array that a float update turns into float32 after one step."""
import jax
import jax.numpy as jnp


@jax.jit
def votes(xs: jax.Array):
    c = jnp.zeros(4, jnp.int32)
    for x in xs:
        c = c + jax.nn.sigmoid(x)
    return c


# --- hand-written lax rewrite -------------------------------------------------------------

@jax.jit
def votes_lax(xs):
    c0 = jnp.zeros(4, jnp.int32) + jax.nn.sigmoid(xs[0])
    c, _ = jax.lax.scan(lambda c, x: (c + jax.nn.sigmoid(x), None), c0, xs[1:])
    return c


def _args(T):
    return (jax.random.normal(jax.random.key(77), (T, 4)),)


CASE = dict(entry="votes", rewrite="votes_lax", args=_args, hazard="carries/dtype-change",
            expect="refuse", primitive="scan",
            unsafe_raise_note={"carry output must have equal types": "dtype"})
