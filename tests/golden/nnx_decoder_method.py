"""flax nnx model with a non-__call__ method that decodes a sequence step by step."""
import jax
import jax.numpy as jnp
from flax import nnx


class Decoder(nnx.Module):
    def __init__(self, d_in: int, d_hidden: int, d_out: int, *, rngs: nnx.Rngs):
        self.W = nnx.Param(jax.random.normal(rngs.params(), (d_hidden, d_hidden)) / d_hidden)
        self.U = nnx.Param(jax.random.normal(rngs.params(), (d_hidden, d_in)) / d_in)
        self.out = nnx.Linear(d_hidden, d_out, rngs=rngs)

    def __call__(self, xs):
        return self.decode(jnp.zeros((self.W.shape[0],), xs.dtype), xs)

    def decode(self, h, xs):
        W = self.W[...]
        U = self.U[...]
        logits = []
        for t in range(xs.shape[0]):
            h = jnp.tanh(W @ h + U @ xs[t])
            logits.append(self.out(h))
        return jnp.stack(logits), h


def _args(T):
    model = Decoder(3, 4, 2, rngs=nnx.Rngs(0))
    return model, jnp.zeros(4), jax.random.normal(jax.random.key(1), (T, 3))


CASE = dict(entry="Decoder.decode", args=_args, grad="auto", unsafe=True, primitive="scan",
            differentiable=True, trip_counts=(4, 16))
