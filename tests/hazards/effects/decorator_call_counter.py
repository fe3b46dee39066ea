"""Trap: `@counted` wraps the cell with a call counter; the encoder divides by the calls it
made. Traced once in a scan step, the counter says 1."""
import functools

import jax
import jax.numpy as jnp


def counted(fn):
    @functools.wraps(fn)
    def wrapper(*args):
        wrapper.calls += 1
        return fn(*args)

    wrapper.calls = 0
    return wrapper


@counted
def cell(W, h, x):
    return jnp.tanh(W @ h + x)


@jax.jit
def encode(W, h, xs: jax.Array):
    before = cell.calls
    for x in xs:
        h = cell(W, h, x)
    return h / (cell.calls - before)


# --- hand-written lax rewrite -------------------------------------------------------------

@jax.jit
def encode_lax(W, h, xs):
    h, _ = jax.lax.scan(lambda h, x: (jnp.tanh(W @ h + x), None), h, xs)
    return h / xs.shape[0]


def _args(T):
    k1, k2, k3 = jax.random.split(jax.random.key(28), 3)
    return (jax.random.normal(k1, (4, 4)) / 3, jax.random.normal(k2, (4,)),
            jax.random.normal(k3, (T, 4)))


CASE = dict(entry="encode", rewrite="encode_lax", args=_args,
            hazard="effects/stateful-decorator", expect="refuse", primitive="scan",
            unsafe_raise_note={"unexpected tracer": "side effect"})
