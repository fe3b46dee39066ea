"""Control: a Python loop in `__call__` reads Params only: a scan with the reads inside the
step (or hoisted) computes the same."""
import jax
import jax.numpy as jnp
from flax import nnx


class RNN(nnx.Module):
    def __init__(self, rngs: nnx.Rngs):
        self.W = nnx.Param(jax.random.normal(rngs.params(), (4, 4)) * 0.3)
        self.U = nnx.Param(jax.random.normal(rngs.params(), (4, 4)) * 0.3)

    def __call__(self, h, xs: jax.Array):
        outs = []
        for x in xs:
            h = jnp.tanh(self.W[...] @ h + self.U[...] @ x)
            outs.append(h)
        return jnp.stack(outs)


# --- hand-written lax rewrite -------------------------------------------------------------

def rnn_lax(model, h, xs):
    W, U = model.W[...], model.U[...]

    def step(h, x):
        h = jnp.tanh(W @ h + U @ x)
        return h, h

    _, outs = jax.lax.scan(step, h, xs)
    return outs


def _args(T):
    k1, k2 = jax.random.split(jax.random.key(115))
    return RNN(nnx.Rngs(4)), jax.random.normal(k1, (4,)), jax.random.normal(k2, (T, 4))


CASE = dict(entry="RNN.__call__", rewrite="rnn_lax", args=_args,
            hazard="nnx/carried-variable-read-by-method",
            expect="safe", primitive="scan")
