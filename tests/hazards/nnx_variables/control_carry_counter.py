"""Control: the lax body bumps a scalar counter Variable that nothing else reads during the
loop: carrying it and writing it back once is exact."""
import jax
import jax.numpy as jnp
from flax import nnx


class Count(nnx.Variable):
    pass


class Counter(nnx.Module):
    def __init__(self):
        self.count = Count(jnp.zeros((), jnp.int32))

    def __call__(self, h, T):
        def body(i, h):
            self.count[...] += 1
            return h * 0.5 + 1.0

        h = jax.lax.fori_loop(0, T, body, h)
        return h, self.count[...]


# --- hand-written lax rewrite -------------------------------------------------------------

def counter_lax(model, h, T):
    h, count = jax.lax.fori_loop(0, T, lambda i, c: (c[0] * 0.5 + 1.0, c[1] + 1),
                                 (h, model.count[...]))
    model.count[...] = count
    return h, model.count[...]


def _args(T):
    return Counter(), jax.random.normal(jax.random.key(114), (4,)), T


CASE = dict(entry="Counter.__call__", rewrite="counter_lax", args=_args,
            hazard="nnx/write-in-closure", expect="safe", primitive="scan")
