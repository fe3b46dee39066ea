"""Control: the lax body only reads Params that nothing writes: hoisting the reads before the
loop is exact."""
import jax
import jax.numpy as jnp
from flax import nnx


class Recurrence(nnx.Module):
    def __init__(self, rngs: nnx.Rngs):
        self.W = nnx.Param(jax.random.normal(rngs.params(), (4, 4)) * 0.3)
        self.b = nnx.Param(jnp.full((4,), 0.1))

    def __call__(self, x, T):
        def body(i, h):
            return jnp.tanh(self.W[...] @ h + self.b[...] + x)

        return jax.lax.fori_loop(0, T, body, x)


# --- hand-written lax rewrite -------------------------------------------------------------

def recurrence_lax(model, x, T):
    W, b = model.W[...], model.b[...]
    return jax.lax.fori_loop(0, T, lambda i, h: jnp.tanh(W @ h + b + x), x)


def _args(T):
    return Recurrence(nnx.Rngs(3)), jax.random.normal(jax.random.key(113), (4,)), T


CASE = dict(entry="Recurrence.__call__", rewrite="recurrence_lax", args=_args,
            hazard="nnx/two-loops-one-body", expect="safe", primitive="scan")
