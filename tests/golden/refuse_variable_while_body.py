"""Refused: a while_loop body mutates a Variable. Carrying it would mean rewriting the condition
function's carry too; the message points to nnx.while_loop with the module in the carry."""
import jax
import jax.numpy as jnp
from flax import nnx


class Halver(nnx.Module):
    def __init__(self):
        self.halvings = nnx.Variable(jnp.array(0))

    def __call__(self, x):
        def body(x):
            self.halvings[...] += 1
            return x / 2

        return jax.lax.while_loop(lambda x: x > 1.0, body, x)


CASE = dict(reason="only a fori_loop or scan body gets its Variables carried, not a "
                   "jax.lax.while_loop body")
