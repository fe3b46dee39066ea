"""Trap: the lax body bumps `self.count` and hands `self` to a module function
(`damping(self)`) that reads `self.count` through its parameter: no `self.` method in sight,
but the function sees the Variable, not the carried local."""
import jax
import jax.numpy as jnp
from flax import nnx


class Count(nnx.Variable):
    pass


def damping(model):
    return 1.0 / (1.0 + model.count[...])


class Damper(nnx.Module):
    def __init__(self):
        self.count = Count(jnp.zeros(()))

    def __call__(self, h, T):
        def body(i, h):
            self.count[...] += 1.0
            return h * damping(self)

        h = jax.lax.fori_loop(0, T, body, h)
        return h, self.count[...]


# --- hand-written lax rewrite -------------------------------------------------------------

def damper_lax(model, h, T):
    def body(i, c):
        h, count = c
        count = count + 1.0
        return h / (1.0 + count), count

    h, count = jax.lax.fori_loop(0, T, body, (h, model.count[...]))
    model.count[...] = count
    return h, model.count[...]


def _args(T):
    return Damper(), jax.random.normal(jax.random.key(121), (4,)), T


CASE = dict(entry="Damper.__call__", rewrite="damper_lax", args=_args,
            hazard="nnx/carried-variable-read-by-method", expect="refuse", primitive="scan")
