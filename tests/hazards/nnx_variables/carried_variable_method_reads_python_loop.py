"""Trap: a Python loop in `__call__` bumps `self.steps` and scales by `self.lr()`, a method
that reads `self.steps`: carried through a scan as a local, the method's read is stale."""
import jax
import jax.numpy as jnp
from flax import nnx


class Steps(nnx.Variable):
    pass


class Learner(nnx.Module):
    def __init__(self):
        self.steps = Steps(jnp.zeros((), jnp.float32))

    def lr(self):
        return 0.5 / (1.0 + self.steps[...])

    def __call__(self, w, xs: jax.Array):
        for x in xs:
            self.steps[...] += 1.0
            w = w - self.lr() * (w - x)
        return w


# --- hand-written lax rewrite -------------------------------------------------------------

def learner_lax(model, w, xs):
    def step(carry, x):
        w, steps = carry
        steps = steps + 1.0
        return (w - 0.5 / (1.0 + steps) * (w - x), steps), None

    (w, steps), _ = jax.lax.scan(step, (w, model.steps[...]), xs)
    model.steps[...] = steps
    return w


def _args(T):
    k1, k2 = jax.random.split(jax.random.key(104))
    return Learner(), jax.random.normal(k1, (4,)), jax.random.normal(k2, (T, 4))


CASE = dict(entry="Learner.__call__", rewrite="learner_lax", args=_args,
            hazard="nnx/carried-variable-read-by-method", expect="refuse", primitive="scan")
