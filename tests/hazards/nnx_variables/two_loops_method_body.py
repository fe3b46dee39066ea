"""Trap: the lax body is a method (`self.relax`) run by two loops, and `self.gain` is bumped
between them: a read of `gain` hoisted once is stale for the second loop."""
import jax
import jax.numpy as jnp
from flax import nnx


class Relaxer(nnx.Module):
    def __init__(self):
        self.gain = nnx.Variable(jnp.full((), 0.1))

    def relax(self, i, h):
        return h - self.gain[...] * jnp.sin(h)

    def __call__(self, h, T):
        h = jax.lax.fori_loop(0, T, self.relax, h)
        self.gain[...] = self.gain[...] + 0.2
        h = jax.lax.fori_loop(0, T, self.relax, h)
        return h


# --- hand-written lax rewrite -------------------------------------------------------------

def relaxer_lax(model, h, T):
    g1 = model.gain[...]
    h = jax.lax.fori_loop(0, T, lambda i, h: h - g1 * jnp.sin(h), h)
    model.gain[...] = g1 + 0.2
    g2 = model.gain[...]
    return jax.lax.fori_loop(0, T, lambda i, h: h - g2 * jnp.sin(h), h)


def _args(T):
    return Relaxer(), jax.random.normal(jax.random.key(101), (4,)), T


CASE = dict(entry="Relaxer.__call__", rewrite="relaxer_lax", args=_args,
            hazard="nnx/two-loops-one-body", expect="refuse", primitive="scan")
