"""Trap: the lax body reads `self.scale` and calls `self.decay()`, a method that writes it
(`self.scale[...] = self.scale[...] * 0.9`): step by step (the original run eagerly) each read
sees the last write. A read of `self.scale` hoisted before the loop would keep the first value;
the fix must carry the Variable or leave the loop alone."""
import jax
import jax.numpy as jnp
from flax import nnx


class Scale(nnx.Variable):
    pass


class Decayer(nnx.Module):
    def __init__(self):
        self.scale = Scale(jnp.ones(()))

    def decay(self):
        self.scale[...] = self.scale[...] * 0.9

    def __call__(self, h, T):
        def body(i, h):
            self.decay()
            return h * self.scale[...] + 0.1

        return jax.lax.fori_loop(0, T, body, h)


# --- hand-written lax rewrite -------------------------------------------------------------

def decayer_lax(model, h, T):
    def body(i, c):
        h, s = c
        s = s * 0.9
        return h * s + 0.1, s

    h, s = jax.lax.fori_loop(0, T, body, (h, model.scale[...]))
    model.scale[...] = s
    return h


def _args(T):
    return Decayer(), jax.random.normal(jax.random.key(125), (4,)), T


CASE = dict(entry="Decayer.__call__", rewrite="decayer_lax", args=_args,
            hazard="nnx/carried-variable-read-by-method", expect="refuse", primitive="scan")
