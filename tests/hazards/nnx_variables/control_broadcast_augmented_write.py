"""Control: `self.acc[...] += jnp.mean(h)` adds a scalar to a (4,) Variable: `v[...] op= x`
casts and broadcasts to the Variable's own shape, so the carried local must be written the
same way (`acc = acc.at[...].set(acc + x)`) to keep the carry's type; then the fix is exact."""
import jax
import jax.numpy as jnp
from flax import nnx


class Acc(nnx.Variable):
    pass


class Accumulator(nnx.Module):
    def __init__(self):
        self.acc = Acc(jnp.zeros((4,)))

    def __call__(self, h, T):
        def body(i, h):
            h = jnp.sin(h) + 0.1
            self.acc[...] += jnp.mean(h)
            return h

        h = jax.lax.fori_loop(0, T, body, h)
        return h, self.acc[...]


# --- hand-written lax rewrite -------------------------------------------------------------

def accumulator_lax(model, h, T):
    def body(i, c):
        h, acc = c
        h = jnp.sin(h) + 0.1
        return h, acc + jnp.mean(h)

    h, acc = jax.lax.fori_loop(0, T, body, (h, model.acc[...]))
    model.acc[...] = acc
    return h, model.acc[...]


def _args(T):
    return Accumulator(), jax.random.normal(jax.random.key(122), (4,)), T


CASE = dict(entry="Accumulator.__call__", rewrite="accumulator_lax", args=_args,
            hazard="nnx/broadcasting-write", expect="safe", primitive="scan")
