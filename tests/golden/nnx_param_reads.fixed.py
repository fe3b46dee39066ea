"""flax nnx linear-recurrent layer that reads its Params inside the time loop."""
import jax
import jax.numpy as jnp
from flax import nnx


class LinearRecurrence(nnx.Module):
    def __init__(self, d_in: int, d_hidden: int, *, rngs: nnx.Rngs):
        self.A = nnx.Param(jax.random.normal(rngs.params(), (d_hidden, d_hidden)) / d_hidden)
        self.B = nnx.Param(jax.random.normal(rngs.params(), (d_hidden, d_in)) / d_in)
        self.decay = nnx.Param(jnp.full((d_hidden,), 0.9))

    def __call__(self, xs):
        h = jnp.zeros((self.A.shape[0],), xs.dtype)

        def call_step(h, x):
            h = decay * h + jnp.tanh(A @ h + B @ x)
            return h, None
        decay = self.decay[...]
        A = self.A[...]
        B = self.B[...]
        h, _ = jax.lax.scan(call_step, h, xs)
        return h


def _args(T):
    model = LinearRecurrence(3, 4, rngs=nnx.Rngs(0))
    return model, jax.random.normal(jax.random.key(1), (T, 3))


CASE = dict(entry="LinearRecurrence.__call__", args=_args, grad="auto", unsafe=False,
            primitive="scan", differentiable=True, trip_counts=(4, 16))
