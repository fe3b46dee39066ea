"""Trap: `cell` looks pure, but calls `_log`, which extends the history list handed down to
it: the effect is one call deeper than the loop body."""
import jax
import jax.numpy as jnp


def _log(buf, v):
    buf.extend([v])


def cell(W, h, x, buf):
    h = jnp.tanh(W @ h + x)
    _log(buf, h)
    return h


@jax.jit
def encode(W, h, xs: jax.Array):
    history = []
    for x in xs:
        h = cell(W, h, x, history)
    return h, len(history)


# --- hand-written lax rewrite -------------------------------------------------------------

@jax.jit
def encode_lax(W, h, xs):
    h, _ = jax.lax.scan(lambda h, x: (jnp.tanh(W @ h + x), None), h, xs)
    return h, xs.shape[0]


def _args(T):
    k1, k2, k3 = jax.random.split(jax.random.key(23), 3)
    return (jax.random.normal(k1, (4, 4)) / 3, jax.random.normal(k2, (4,)),
            jax.random.normal(k3, (T, 4)))


CASE = dict(entry="encode", rewrite="encode_lax", args=_args,
            hazard="effects/mutates-argument", expect="refuse", primitive="scan",
            unsafe_raise_note={"unexpected tracer": "side effect"})
