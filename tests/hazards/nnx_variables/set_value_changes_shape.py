"""Trap: `self.peak.set_value(jnp.max(h))` replaces a (4,) Variable's payload with a scalar:
in Python the Variable simply holds a scalar from then on; as a loop carry the type changes,
which no carried local can follow (the lax loop raises a TypeError). An unsafe fix must say
it assumes `set_value` keeps the shape."""
import jax
import jax.numpy as jnp
from flax import nnx


class Peak(nnx.Variable):
    pass


class PeakTracker(nnx.Module):
    def __init__(self):
        self.peak = Peak(jnp.zeros((4,)))

    def __call__(self, h, T):
        def body(i, h):
            h = jnp.tanh(h + 0.5)
            self.peak.set_value(jnp.max(h))
            return h

        h = jax.lax.fori_loop(0, T, body, h)
        return h, self.peak[...]


# --- hand-written lax rewrite -------------------------------------------------------------

def peak_lax(model, h, T):  # for T >= 1: the payload is the last step's maximum
    h = jax.lax.fori_loop(0, T, lambda i, h: jnp.tanh(h + 0.5), h)
    model.peak.set_value(jnp.max(h))
    return h, model.peak[...]


def _args(T):
    return PeakTracker(), jax.random.normal(jax.random.key(123), (4,)), T


CASE = dict(entry="PeakTracker.__call__", rewrite="peak_lax", args=_args,
            hazard="nnx/broadcasting-write", expect="unsafe", primitive="scan",
            unsafe_raise_note={"carry input and carry output": "Variable's type"})
