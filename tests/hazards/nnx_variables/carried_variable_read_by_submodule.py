"""Trap: the lax body writes `self.norm.scale` (a Variable of a submodule) and calls the
submodule, whose `__call__` reads it: a carried local would leave the submodule's read stale."""
import jax
import jax.numpy as jnp
from flax import nnx


class Scale(nnx.Module):
    def __init__(self):
        self.scale = nnx.Variable(jnp.ones(()))

    def __call__(self, h):
        return h * self.scale[...]


class Model(nnx.Module):
    def __init__(self):
        self.norm = Scale()

    def __call__(self, h, T):
        def body(i, h):
            self.norm.scale[...] = self.norm.scale[...] * 0.9
            return jnp.tanh(self.norm(h) + 0.1)

        return jax.lax.fori_loop(0, T, body, h)


# --- hand-written lax rewrite -------------------------------------------------------------

def model_lax(model, h, T):
    def body(i, carry):
        h, scale = carry
        scale = scale * 0.9
        return jnp.tanh(h * scale + 0.1), scale

    h, scale = jax.lax.fori_loop(0, T, body, (h, model.norm.scale[...]))
    model.norm.scale[...] = scale
    return h


def _args(T):
    return Model(), jax.random.normal(jax.random.key(105), (4,)), T


CASE = dict(entry="Model.__call__", rewrite="model_lax", args=_args,
            hazard="nnx/carried-variable-read-by-method", expect="refuse", primitive="scan")
