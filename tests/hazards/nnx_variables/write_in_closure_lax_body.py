"""Trap: the Variable write happens inside a small closure of the lax body (`def bump():
self.count[...] += 1`). Rewriting the write to a carried local `count += 1` inside the closure
raises UnboundLocalError."""
import jax
import jax.numpy as jnp
from flax import nnx


class Count(nnx.Variable):
    pass


class Stepper(nnx.Module):
    def __init__(self):
        self.count = Count(jnp.zeros((), jnp.int32))

    def __call__(self, h, T):
        def body(i, h):
            def bump():
                self.count[...] += 1

            bump()
            return h * 0.5 + 1.0

        h = jax.lax.fori_loop(0, T, body, h)
        return h, self.count[...]


# --- hand-written lax rewrite -------------------------------------------------------------

def stepper_lax(model, h, T):
    h, count = jax.lax.fori_loop(0, T, lambda i, c: (c[0] * 0.5 + 1.0, c[1] + 1),
                                 (h, model.count[...]))
    model.count[...] = count
    return h, model.count[...]


def _args(T):
    return Stepper(), jax.random.normal(jax.random.key(110), (4,)), T


CASE = dict(entry="Stepper.__call__", rewrite="stepper_lax", args=_args,
            hazard="nnx/write-in-closure", expect="refuse", primitive="scan")
