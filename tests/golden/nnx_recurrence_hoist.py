"""The issue's Recurrence module: a Param `W` of shape (H, H) scaled by 0.1, body
`state = tanh(state @ W + x)` run `T` times from `x` with `fori_loop(0, T, body, x)`. The body
reads the Variable through the closure (JXL301): the read is hoisted before the loop."""
import jax
import jax.numpy as jnp
from flax import nnx


class Recurrence(nnx.Module):
    def __init__(self, hidden: int, *, rngs: nnx.Rngs):
        self.W = nnx.Param(0.1 * jax.random.normal(rngs.params(), (hidden, hidden)))

    def __call__(self, x, T):
        def body(i, state):
            # one step of the recurrence
            return jnp.tanh(state @ self.W[...] + x)

        return jax.lax.fori_loop(0, T, body, x)


def _args(T):
    model = Recurrence(4, rngs=nnx.Rngs(0))
    return model, jax.random.normal(jax.random.key(1), (4,)), T


CASE = dict(entry="Recurrence.__call__", args=_args, grad="auto", unsafe=False,
            primitive="scan", differentiable=True, trip_counts=(4, 16), original="lax")
