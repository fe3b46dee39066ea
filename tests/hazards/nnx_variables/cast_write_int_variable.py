"""Trap: `self.ticks[...] = self.ticks[...] + 0.6` writes a float into an int32 Variable:
the write casts (truncates), so the ticks never move. Carried as a local, `ticks` would turn
float32 after one step."""
import jax
import jax.numpy as jnp
from flax import nnx


class Ticks(nnx.Variable):
    pass


class Clock(nnx.Module):
    def __init__(self):
        self.ticks = Ticks(jnp.zeros((), jnp.int32))

    def __call__(self, h, T):
        def body(i, h):
            self.ticks[...] = self.ticks[...] + 0.6
            return h * 0.9 + self.ticks[...]

        return jax.lax.fori_loop(0, T, body, h)


# --- hand-written lax rewrite -------------------------------------------------------------

def clock_lax(model, h, T):
    def body(i, carry):
        h, ticks = carry
        ticks = (ticks + 0.6).astype(ticks.dtype)      # what `[...] =` does to an int32
        return h * 0.9 + ticks, ticks

    h, ticks = jax.lax.fori_loop(0, T, body, (h, model.ticks[...]))
    model.ticks[...] = ticks
    return h


def _args(T):
    return Clock(), jax.random.normal(jax.random.key(108), (4,)), T


CASE = dict(entry="Clock.__call__", rewrite="clock_lax", args=_args,
            hazard="nnx/broadcasting-write", expect="refuse", primitive="scan",
            unsafe_raise_note={"carry output must have equal types": "dtype"})
