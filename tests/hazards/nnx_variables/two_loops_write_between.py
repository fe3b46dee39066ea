"""Trap: one lax body runs in two loops, with a write to the Variable it reads in between
(`self.temp[...] *= 2`). Hoisting one read of `self.temp` before the first loop would feed the
second loop the stale temperature."""
import jax
import jax.numpy as jnp
from flax import nnx


class Temperature(nnx.Variable):
    pass


class Annealer(nnx.Module):
    def __init__(self, rngs: nnx.Rngs):
        self.W = nnx.Param(jax.random.normal(rngs.params(), (4, 4)) * 0.3)
        self.temp = Temperature(jnp.ones(()))

    def __call__(self, h, T):
        def body(i, h):
            return jnp.tanh(self.W[...] @ h / self.temp[...])

        h = jax.lax.fori_loop(0, T, body, h)
        self.temp[...] = self.temp[...] * 2.0
        h = jax.lax.fori_loop(0, T, body, h)
        return h


# --- hand-written lax rewrite -------------------------------------------------------------

def anneal_lax(model, h, T):
    W = model.W[...]
    t1 = model.temp[...]
    h = jax.lax.fori_loop(0, T, lambda i, h: jnp.tanh(W @ h / t1), h)
    model.temp[...] = t1 * 2.0
    t2 = model.temp[...]
    return jax.lax.fori_loop(0, T, lambda i, h: jnp.tanh(W @ h / t2), h)


def _args(T):
    return Annealer(nnx.Rngs(0)), jax.random.normal(jax.random.key(100), (4,)), T


CASE = dict(entry="Annealer.__call__", rewrite="anneal_lax", args=_args,
            hazard="nnx/two-loops-one-body", expect="refuse", primitive="scan")
