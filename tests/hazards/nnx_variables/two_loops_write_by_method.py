"""Trap: one lax body runs in two loops and a method called between them (`self.anneal()`)
writes the Variable the body reads: a read hoisted once before the first loop is stale for the
second."""
import jax
import jax.numpy as jnp
from flax import nnx


class Temperature(nnx.Variable):
    pass


class Sampler(nnx.Module):
    def __init__(self):
        self.temp = Temperature(jnp.full((), 2.0))

    def anneal(self):
        self.temp[...] = self.temp[...] * 0.5

    def __call__(self, h, T):
        def body(i, h):
            return jnp.tanh(h / self.temp[...] + 0.1)

        h = jax.lax.fori_loop(0, T, body, h)
        self.anneal()
        return jax.lax.fori_loop(0, T, body, h)


# --- hand-written lax rewrite -------------------------------------------------------------

def sampler_lax(model, h, T):
    t1 = model.temp[...]
    h = jax.lax.fori_loop(0, T, lambda i, h: jnp.tanh(h / t1 + 0.1), h)
    model.temp[...] = t1 * 0.5
    t2 = model.temp[...]
    return jax.lax.fori_loop(0, T, lambda i, h: jnp.tanh(h / t2 + 0.1), h)


def _args(T):
    return Sampler(), jax.random.normal(jax.random.key(116), (4,)), T


CASE = dict(entry="Sampler.__call__", rewrite="sampler_lax", args=_args,
            hazard="nnx/two-loops-one-body", expect="refuse", primitive="scan")
