"""The loop's result is returned directly and the body writes with `set_value`: the fix binds
the result, writes the carried value back with `set_value` (which, like the original, replaces
the payload), then returns. Unsafe: `set_value` replaces the payload, and nothing proves
`jnp.maximum(peak, h.max())` keeps the Variable's shape and dtype (a lax loop would raise if
not)."""
import jax
import jax.numpy as jnp
from flax import nnx


class Peak(nnx.Variable):
    pass


class PeakTracker(nnx.Module):
    def __init__(self, d: int, *, rngs: nnx.Rngs):
        self.W = nnx.Param(0.2 * jax.random.normal(rngs.params(), (d, d)))
        self.peak = Peak(jnp.full((), -jnp.inf))

    def __call__(self, h, T):
        def body(i, carry):
            h, peak = carry
            h = jnp.sin(h @ W) + 0.1 * i
            peak = jnp.maximum(peak, h.max())
            return (h, peak)

        W = self.W[...]
        result, peak = jax.lax.fori_loop(0, T, body, (h, self.peak[...]))
        self.peak.set_value(peak)
        return result


def _args(T):
    model = PeakTracker(3, rngs=nnx.Rngs(0))
    return model, jax.random.normal(jax.random.key(1), (3,)), T


CASE = dict(entry="PeakTracker.__call__", args=_args, grad="auto", unsafe=True,
            primitive="scan", differentiable=True, trip_counts=(4, 16),
            original="raises:TraceContextError")
