"""Control: a decorator that only wraps (`functools.wraps`, no state of its own): calling the
wrapped cell once per trace of a scan step changes nothing."""
import functools

import jax
import jax.numpy as jnp


def named(fn):
    @functools.wraps(fn)
    def wrapper(*args):
        return fn(*args)

    return wrapper


@named
def cell(W, h, x):
    return jnp.tanh(W @ h + x)


@jax.jit
def encode(W, h, xs: jax.Array):
    for x in xs:
        h = cell(W, h, x)
    return h


# --- hand-written lax rewrite -------------------------------------------------------------

@jax.jit
def encode_lax(W, h, xs):
    h, _ = jax.lax.scan(lambda h, x: (cell(W, h, x), None), h, xs)
    return h


def _args(T):
    k1, k2, k3 = jax.random.split(jax.random.key(42), 3)
    return (jax.random.normal(k1, (4, 4)) / 3, jax.random.normal(k2, (4,)),
            jax.random.normal(k3, (T, 4)))


CASE = dict(entry="encode", rewrite="encode_lax", args=_args,
            hazard="effects/stateful-decorator", expect="safe", primitive="scan")
