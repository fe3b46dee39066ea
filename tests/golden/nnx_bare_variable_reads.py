"""Variables used bare as arrays inside a lax body (`h @ self.W`, `self.W.shape`,
`jnp.dot(self.U, x)`), a lambda body, and a Variable holding a Python float (read with
`get_value()`, as `[...]` only works for array payloads)."""
import jax
import jax.numpy as jnp
from flax import nnx


class Damped(nnx.Module):
    def __init__(self, d: int, *, rngs: nnx.Rngs):
        self.W = nnx.Param(0.3 * jax.random.normal(rngs.params(), (d, d)))
        self.U = nnx.Param(0.3 * jax.random.normal(rngs.params(), (d, d)))
        self.damping = nnx.Variable(0.9)

    def __call__(self, xs):
        def step(h, x):
            h = self.damping.get_value() * jnp.tanh(h @ self.W + jnp.dot(self.U, x))
            return h, h.sum()

        h0 = jnp.zeros(self.W.shape[0])
        h, totals = jax.lax.scan(step, h0, xs)
        norms = jax.lax.fori_loop(0, 3, lambda i, s: s + (self.W ** 2).sum(), 0.0)
        return h, totals, norms


def _args(T):
    model = Damped(3, rngs=nnx.Rngs(0))
    return model, jax.random.normal(jax.random.key(1), (T, 3))


CASE = dict(entry="Damped.__call__", args=_args, grad="auto", unsafe=False,
            primitive="scan", differentiable=True, trip_counts=(4, 16), original="lax")
