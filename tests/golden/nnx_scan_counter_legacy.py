"""A project still on the pre-0.12 flax API (`.value` everywhere, never the ellipsis index): the generated
reads and write-backs follow its style (flax-api "auto" -> legacy). The scan body counts the
tokens it has seen in a Variable, which raises TraceContextError inside jax.lax.scan."""
import jax
import jax.numpy as jnp
from flax import nnx


class Seen(nnx.Variable):
    pass


class TokenMixer(nnx.Module):
    def __init__(self, d: int, *, rngs: nnx.Rngs):
        self.mix = nnx.Param(0.3 * jax.random.normal(rngs.params(), (d, d)))
        self.seen = Seen(jnp.zeros((), jnp.float32))

    def __call__(self, xs):
        h0 = jnp.zeros(xs.shape[1:])

        def step(h, x):
            self.seen.value += 1.0  # tokens processed
            h = jnp.tanh(h @ self.mix.value + x)
            return h, h * 2.0

        h, ys = jax.lax.scan(step, h0, xs)
        return ys.sum(axis=0) + h


def _args(T):
    model = TokenMixer(3, rngs=nnx.Rngs(0))
    return model, jax.random.normal(jax.random.key(1), (T, 3))


CASE = dict(entry="TokenMixer.__call__", args=_args, grad="auto", unsafe=False,
            primitive="scan", differentiable=True, trip_counts=(4, 16),
            original="raises:TraceContextError")
