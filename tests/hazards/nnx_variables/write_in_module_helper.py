"""Trap: the lax body writes a Variable through a nested helper that takes the module as an
argument (`def clip(m): m.norm[...] = ...`): the write is one call away from the body."""
import jax
import jax.numpy as jnp
from flax import nnx


class Norm(nnx.Variable):
    pass


def clip(m, h):
    m.norm[...] = jnp.maximum(m.norm[...], jnp.linalg.norm(h))
    return h / jnp.maximum(1.0, m.norm[...])


class Clipper(nnx.Module):
    def __init__(self):
        self.norm = Norm(jnp.ones(()))

    def __call__(self, h, T):
        def body(i, h):
            return clip(self, h * 1.5)

        return jax.lax.fori_loop(0, T, body, h)


# --- hand-written lax rewrite -------------------------------------------------------------

def clipper_lax(model, h, T):
    def body(i, carry):
        h, norm = carry
        h = h * 1.5
        norm = jnp.maximum(norm, jnp.linalg.norm(h))
        return h / jnp.maximum(1.0, norm), norm

    h, norm = jax.lax.fori_loop(0, T, body, (h, model.norm[...]))
    model.norm[...] = norm
    return h


def _args(T):
    return Clipper(), jax.random.normal(jax.random.key(112), (4,)), T


CASE = dict(entry="Clipper.__call__", rewrite="clipper_lax", args=_args,
            hazard="nnx/write-in-closure", expect="refuse", primitive="scan")
