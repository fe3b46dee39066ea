"""Control: the lax body writes a value of the Variable's own shape and dtype
(`self.level[...] = h * 0.5`, both (4,) float32): carrying it and writing it back is exact."""
import jax
import jax.numpy as jnp
from flax import nnx


class Level(nnx.Variable):
    pass


class Tracker(nnx.Module):
    def __init__(self):
        self.level = Level(jnp.zeros((4,)))

    def __call__(self, h, T):
        def body(i, h):
            h = jnp.tanh(h + self.level[...])
            self.level[...] = h * 0.5
            return h

        return jax.lax.fori_loop(0, T, body, h)


# --- hand-written lax rewrite -------------------------------------------------------------

def tracker_lax(model, h, T):
    def body(i, carry):
        h, level = carry
        h = jnp.tanh(h + level)
        return h, h * 0.5

    h, level = jax.lax.fori_loop(0, T, body, (h, model.level[...]))
    model.level[...] = level
    return h


def _args(T):
    return Tracker(), jax.random.normal(jax.random.key(118), (4,)), T


CASE = dict(entry="Tracker.__call__", rewrite="tracker_lax", args=_args,
            hazard="nnx/broadcasting-write", expect="safe", primitive="scan")
