"""Refused: the body hands the Variable object itself to a helper, which may want the Variable
(its metadata, its sharding), not the array: hoisting would change what the helper gets."""
import jax
import jax.numpy as jnp
from flax import nnx


def project(w, h):
    return h @ w


class Projector(nnx.Module):
    def __init__(self, d: int, *, rngs: nnx.Rngs):
        self.W = nnx.Param(jax.random.normal(rngs.params(), (d, d)))

    def __call__(self, h):
        def body(i, h):
            return jnp.tanh(project(self.W, h))

        return jax.lax.fori_loop(0, 4, body, h)


CASE = dict(reason="`self.W` is used as a Variable object in the body (`project(self.W, h)`)")
