"""A module with Params, a step counter and a BatchStat (the issue's second module): the lax
body increments the counter and accumulates a running sum of the states in place, which raises
TraceContextError under nnx.jit (JXL302). Both Variables are carried and written back once."""
import jax
import jax.numpy as jnp
from flax import nnx


class Count(nnx.Variable):
    pass


class Integrator(nnx.Module):
    def __init__(self, d: int, *, rngs: nnx.Rngs):
        self.A = nnx.Param(0.1 * jax.random.normal(rngs.params(), (d, d)))
        self.b = nnx.Param(jnp.zeros((d,)))
        self.steps = Count(jnp.array(0, jnp.int32))
        self.state_sum = nnx.BatchStat(jnp.zeros((d,)))

    def __call__(self, h, T):
        def body(i, carry):
            h, steps, state_sum = carry
            h = jnp.tanh(h @ A + b)
            steps += 1
            state_sum = state_sum.at[...].set(state_sum + h)
            return (h, steps, state_sum)

        A = self.A[...]
        b = self.b[...]
        h, steps, state_sum = jax.lax.fori_loop(0, T, body, (h, self.steps[...], self.state_sum[...]))
        self.steps[...] = steps
        self.state_sum[...] = state_sum
        return h, self.state_sum[...] / self.steps[...]


def _args(T):
    model = Integrator(3, rngs=nnx.Rngs(0))
    return model, jax.random.normal(jax.random.key(1), (3,)), T


CASE = dict(entry="Integrator.__call__", args=_args, grad="auto", unsafe=False,
            primitive="scan", differentiable=True, trip_counts=(4, 16),
            original="raises:TraceContextError")
