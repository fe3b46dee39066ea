"""Trap: a Python loop writes a scalar into a vector Variable (`self.peak[...] =
jnp.max(x)`), which broadcasts; as a scan carry the local would change shape."""
import jax
import jax.numpy as jnp
from flax import nnx


class Peak(nnx.Variable):
    pass


class Monitor(nnx.Module):
    def __init__(self):
        self.peak = Peak(jnp.zeros((4,)))

    def __call__(self, h, xs: jax.Array):
        for x in xs:
            h = 0.5 * h + x - self.peak[...]
            self.peak[...] = jnp.max(x)
        return h


# --- hand-written lax rewrite -------------------------------------------------------------

def monitor_lax(model, h, xs):
    def step(carry, x):
        h, peak = carry
        h = 0.5 * h + x - peak
        return (h, jnp.broadcast_to(jnp.max(x), peak.shape)), None

    (h, peak), _ = jax.lax.scan(step, (h, model.peak[...]), xs)
    model.peak[...] = peak
    return h


def _args(T):
    k1, k2 = jax.random.split(jax.random.key(107))
    return Monitor(), jax.random.normal(k1, (4,)), jax.random.normal(k2, (T, 4))


CASE = dict(entry="Monitor.__call__", rewrite="monitor_lax", args=_args,
            hazard="nnx/broadcasting-write", expect="refuse", primitive="scan",
            unsafe_raise_note={"carry output must have equal types": "shape"})
