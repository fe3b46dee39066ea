"""An LSTM-like fori_loop with a tuple carry `(h, c)` that also counts its steps in a Variable:
the counter joins the carry next to the tuple, `(h, c), steps = ...`, and is written back."""
import jax
import jax.numpy as jnp
from flax import nnx


class Steps(nnx.Variable):
    pass


class Cell(nnx.Module):
    def __init__(self, d: int, *, rngs: nnx.Rngs):
        self.W = nnx.Param(0.4 * jax.random.normal(rngs.params(), (d, d)))
        self.steps = Steps(jnp.zeros((), jnp.int32))

    def __call__(self, h, c, T):
        def body(i, carry):
            h, c = carry
            self.steps[...] = self.steps[...] + 1
            c = 0.5 * c + jnp.tanh(h @ self.W[...])
            h = jnp.tanh(c)
            return h, c

        h, c = jax.lax.fori_loop(0, T, body, (h, c))
        return h + c


def _args(T):
    model = Cell(3, rngs=nnx.Rngs(0))
    return model, jnp.ones((3,)), jnp.zeros((3,)), T


CASE = dict(entry="Cell.__call__", args=_args, grad="auto", unsafe=False, primitive="scan",
            differentiable=True, trip_counts=(4, 16), original="raises:TraceContextError")
