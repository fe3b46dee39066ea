"""Trap: the lax body bumps `self.count` (a write: carried as a local and written back after
the loop) and calls `self.decay()`, which reads `self.count` itself: inside the rewritten body
that read sees the count from before the loop."""
import jax
import jax.numpy as jnp
from flax import nnx


class Count(nnx.Variable):
    pass


class Decayer(nnx.Module):
    def __init__(self):
        self.count = Count(jnp.zeros((), jnp.int32))

    def decay(self):
        return 1.0 / (1.0 + self.count[...])

    def __call__(self, h, T):
        def body(i, h):
            self.count[...] += 1
            return h * self.decay()

        return jax.lax.fori_loop(0, T, body, h)


# --- hand-written lax rewrite -------------------------------------------------------------

def decayer_lax(model, h, T):
    def body(i, carry):
        h, count = carry
        count = count + 1
        return h * (1.0 / (1.0 + count)), count

    h, count = jax.lax.fori_loop(0, T, body, (h, model.count[...]))
    model.count[...] = count
    return h


def _args(T):
    return Decayer(), jax.random.normal(jax.random.key(103), (4,)), T


CASE = dict(entry="Decayer.__call__", rewrite="decayer_lax", args=_args,
            hazard="nnx/carried-variable-read-by-method", expect="refuse", primitive="scan")
