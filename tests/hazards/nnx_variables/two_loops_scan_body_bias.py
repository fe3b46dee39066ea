"""Trap: a scan step reads the Variable `self.bias`; the step runs over the encoder inputs,
then the bias is re-centred, then the same step runs over the decoder inputs."""
import jax
import jax.numpy as jnp
from flax import nnx


class Seq2Seq(nnx.Module):
    def __init__(self, rngs: nnx.Rngs):
        self.W = nnx.Param(jax.random.normal(rngs.params(), (4, 4)) * 0.3)
        self.bias = nnx.Param(jnp.full((4,), 0.5))

    def __call__(self, h, src: jax.Array, tgt: jax.Array):
        def step(h, x):
            h = jnp.tanh(self.W[...] @ h + x + self.bias[...])
            return h, h

        h, _ = jax.lax.scan(step, h, src)
        self.bias[...] = self.bias[...] - jnp.mean(self.bias[...]) - 0.25
        h, ys = jax.lax.scan(step, h, tgt)
        return ys


# --- hand-written lax rewrite -------------------------------------------------------------

def seq2seq_lax(model, h, src, tgt):
    W, b1 = model.W[...], model.bias[...]
    h, _ = jax.lax.scan(lambda h, x: (jnp.tanh(W @ h + x + b1),) * 2, h, src)
    model.bias[...] = b1 - jnp.mean(b1) - 0.25
    b2 = model.bias[...]
    h, ys = jax.lax.scan(lambda h, x: (jnp.tanh(W @ h + x + b2),) * 2, h, tgt)
    return ys


def _args(T):
    k1, k2, k3 = jax.random.split(jax.random.key(102), 3)
    return (Seq2Seq(nnx.Rngs(1)), jax.random.normal(k1, (4,)), jax.random.normal(k2, (T, 4)),
            jax.random.normal(k3, (T, 4)))


CASE = dict(entry="Seq2Seq.__call__", rewrite="seq2seq_lax", args=_args,
            hazard="nnx/two-loops-one-body", expect="refuse", primitive="scan")
