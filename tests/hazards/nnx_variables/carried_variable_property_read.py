"""Trap: the lax body bumps `self.steps` (carried as a local and written back after the loop)
and reads the property `self.progress`, which reads `self.steps` itself: stale inside the
rewritten body."""
import jax
import jax.numpy as jnp
from flax import nnx


class Steps(nnx.Variable):
    pass


class Scheduler(nnx.Module):
    def __init__(self):
        self.steps = Steps(jnp.zeros(()))

    @property
    def progress(self):
        return self.steps[...] / 10.0

    def __call__(self, w, T):
        def body(i, w):
            self.steps[...] += 1.0
            return w * (1.0 - 0.5 * self.progress)

        return jax.lax.fori_loop(0, T, body, w)


# --- hand-written lax rewrite -------------------------------------------------------------

def scheduler_lax(model, w, T):
    def body(i, carry):
        w, steps = carry
        steps = steps + 1.0
        return w * (1.0 - 0.5 * (steps / 10.0)), steps

    w, steps = jax.lax.fori_loop(0, T, body, (w, model.steps[...]))
    model.steps[...] = steps
    return w


def _args(T):
    return Scheduler(), jax.random.normal(jax.random.key(117), (4,)), T


CASE = dict(entry="Scheduler.__call__", rewrite="scheduler_lax", args=_args,
            hazard="nnx/carried-variable-read-by-method", expect="refuse", primitive="scan")
