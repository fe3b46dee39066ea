"""flax nnx RNN whose __call__ loops over time and calls its submodule self.cell."""
import jax
import jax.numpy as jnp
from flax import nnx


class ElmanRNN(nnx.Module):
    def __init__(self, d_in: int, d_hidden: int, *, rngs: nnx.Rngs):
        self.cell = nnx.Linear(d_in + d_hidden, d_hidden, rngs=rngs)
        self.d_hidden = d_hidden

    def __call__(self, xs):
        h = jnp.zeros((self.d_hidden,), xs.dtype)
        hs = []
        for x in xs:
            h = jnp.tanh(self.cell(jnp.concatenate([x, h])))
            hs.append(h)
        return jnp.stack(hs)


def _args(T):
    model = ElmanRNN(3, 5, rngs=nnx.Rngs(0))
    return model, jax.random.normal(jax.random.key(1), (T, 3))


CASE = dict(entry="ElmanRNN.__call__", args=_args, grad="auto", unsafe=True, primitive="scan",
            differentiable=True, trip_counts=(4, 16))
