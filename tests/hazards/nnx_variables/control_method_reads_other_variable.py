"""Control: the lax body bumps `self.count` and calls `self.gain_of(h)`, a method that reads
another Variable (`self.gain`), never `self.count`: carrying `count` is exact, and the
method's read of `gain` is what the original reads."""
import jax
import jax.numpy as jnp
from flax import nnx


class Count(nnx.Variable):
    pass


class Stepper(nnx.Module):
    def __init__(self):
        self.count = Count(jnp.zeros((), jnp.int32))
        self.gain = nnx.Param(jnp.full((4,), 0.5))

    def gain_of(self, h):
        return self.gain[...] * h

    def __call__(self, h, T):
        def body(i, h):
            self.count[...] += 1
            return jnp.tanh(self.gain_of(h) + 0.1)

        h = jax.lax.fori_loop(0, T, body, h)
        return h, self.count[...]


# --- hand-written lax rewrite -------------------------------------------------------------

def stepper_lax(model, h, T):
    g = model.gain[...]
    h, count = jax.lax.fori_loop(0, T, lambda i, c: (jnp.tanh(g * c[0] + 0.1), c[1] + 1),
                                 (h, model.count[...]))
    model.count[...] = count
    return h, model.count[...]


def _args(T):
    return Stepper(), jax.random.normal(jax.random.key(124), (4,)), T


CASE = dict(entry="Stepper.__call__", rewrite="stepper_lax", args=_args,
            hazard="nnx/carried-variable-read-by-method", expect="safe", primitive="scan")
