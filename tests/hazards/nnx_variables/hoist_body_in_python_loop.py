"""Trap: one lax call inside a Python loop over annealing stages, the body defined once
before it: the stage loop lowers `self.temp` between calls. JAX traces `body` once and reuses
that trace for every later call of the same function object, so a read of `self.temp` hoisted
before the call (one running statement, but run three times) would keep the first stage's
temperature."""
import jax
import jax.numpy as jnp
from flax import nnx


class Temperature(nnx.Variable):
    pass


class Annealer(nnx.Module):
    def __init__(self):
        self.temp = Temperature(jnp.full((), 2.0))

    def __call__(self, h, T):
        def body(i, h):
            return jnp.tanh(h / self.temp[...] + 0.1)

        for _ in range(3):
            h = jax.lax.fori_loop(0, T, body, h)
            self.temp[...] = self.temp[...] * 0.5
        return h


# --- hand-written lax rewrite -------------------------------------------------------------

def anneal_lax(model, h, T):
    for _ in range(3):
        t = model.temp[...]
        h = jax.lax.fori_loop(0, T, lambda i, h, t=t: jnp.tanh(h / t + 0.1), h)
        model.temp[...] = t * 0.5
    return h


def _args(T):
    return Annealer(), jax.random.normal(jax.random.key(101), (4,)), T


CASE = dict(entry="Annealer.__call__", rewrite="anneal_lax", args=_args,
            hazard="nnx/two-loops-one-body", expect="refuse", primitive="scan")
