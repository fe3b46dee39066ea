"""Trap: `self.level[...] = jnp.mean(h)` writes a scalar into a vector Variable: the write
broadcasts, the Variable keeps shape (4,). Carried as a local, `level` would become a scalar
after one step (a scan raises), or be written back with the wrong shape."""
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
            self.level[...] = jnp.mean(h)
            return h

        return jax.lax.fori_loop(0, T, body, h)


# --- hand-written lax rewrite -------------------------------------------------------------

def tracker_lax(model, h, T):
    def body(i, carry):
        h, level = carry
        h = jnp.tanh(h + level)
        return h, jnp.broadcast_to(jnp.mean(h), level.shape).astype(level.dtype)

    h, level = jax.lax.fori_loop(0, T, body, (h, model.level[...]))
    model.level[...] = level
    return h


def _args(T):
    return Tracker(), jax.random.normal(jax.random.key(106), (4,)), T


CASE = dict(entry="Tracker.__call__", rewrite="tracker_lax", args=_args,
            hazard="nnx/broadcasting-write", expect="refuse", primitive="scan",
            unsafe_raise_note={"carry output must have equal types": "shape"})
