"""Trap: a scan step accumulates into a Variable through a helper closure
(`def record(v): self.total[...] = self.total[...] + v`)."""
import jax
import jax.numpy as jnp
from flax import nnx


class Total(nnx.Variable):
    pass


class Encoder(nnx.Module):
    def __init__(self, rngs: nnx.Rngs):
        self.W = nnx.Param(jax.random.normal(rngs.params(), (4, 4)) * 0.3)
        self.total = Total(jnp.zeros(()))

    def __call__(self, h, xs: jax.Array):
        def step(h, x):
            def record(v):
                self.total[...] = self.total[...] + jnp.sum(v)

            h = jnp.tanh(self.W[...] @ h + x)
            record(h)
            return h, None

        h, _ = jax.lax.scan(step, h, xs)
        return h


# --- hand-written lax rewrite -------------------------------------------------------------

def encoder_lax(model, h, xs):
    W = model.W[...]

    def step(carry, x):
        h, total = carry
        h = jnp.tanh(W @ h + x)
        return (h, total + jnp.sum(h)), None

    (h, total), _ = jax.lax.scan(step, (h, model.total[...]), xs)
    model.total[...] = total
    return h


def _args(T):
    k1, k2 = jax.random.split(jax.random.key(111))
    return Encoder(nnx.Rngs(2)), jax.random.normal(k1, (4,)), jax.random.normal(k2, (T, 4))


CASE = dict(entry="Encoder.__call__", rewrite="encoder_lax", args=_args,
            hazard="nnx/write-in-closure", expect="refuse", primitive="scan")
