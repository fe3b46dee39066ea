"""A while_loop whose condition and body both read Params through the closure (JXL301): both
reads are hoisted before the loop statement, so cond and body close over arrays."""
import jax
import jax.numpy as jnp
from flax import nnx


class Refiner(nnx.Module):
    def __init__(self, d: int, *, rngs: nnx.Rngs):
        self.step_size = nnx.Param(jnp.full((), 0.5))
        self.target = nnx.Param(jax.random.normal(rngs.params(), (d,)))
        self.tol = nnx.Variable(jnp.full((), 1e-3))

    def __call__(self, x):
        def not_converged(state):
            x, i = state
            return (jnp.linalg.norm(x - self.target[...]) > self.tol[...]) & (i < 50)

        def refine(state):
            x, i = state
            return x + self.step_size[...] * (self.target[...] - x), i + 1

        x, steps = jax.lax.while_loop(not_converged, refine, (x, 0))
        return x, steps


def _args(T):
    model = Refiner(3, rngs=nnx.Rngs(0))
    return model, jax.random.normal(jax.random.key(1), (3,)) * T


CASE = dict(entry="Refiner.__call__", args=_args, grad=None, unsafe=False, primitive="while",
            differentiable=False, trip_counts=(4, 16), original="lax")
