"""Trap: the helper inside the lax body replaces the Variable's payload with `set_value`
(`self.total.set_value(self.total[...] + jnp.sum(v))`): the carried local is assigned inside
the helper, which needs `nonlocal`; and `set_value` replaces rather than casts, so keeping
the carry's type is an assumption the fix must name."""
import jax
import jax.numpy as jnp
from flax import nnx


class Total(nnx.Variable):
    pass


class Summer(nnx.Module):
    def __init__(self):
        self.total = Total(jnp.zeros(()))

    def __call__(self, h, T):
        def body(i, h):
            def record(v):
                self.total.set_value(self.total[...] + jnp.sum(v))

            h = jnp.cos(h)
            record(h)
            return h

        h = jax.lax.fori_loop(0, T, body, h)
        return h, self.total[...]


# --- hand-written lax rewrite -------------------------------------------------------------

def summer_lax(model, h, T):
    def body(i, c):
        h, total = c
        h = jnp.cos(h)
        return h, total + jnp.sum(h)

    h, total = jax.lax.fori_loop(0, T, body, (h, model.total[...]))
    model.total.set_value(total)
    return h, model.total[...]


def _args(T):
    return Summer(), jax.random.normal(jax.random.key(120), (4,)), T


CASE = dict(entry="Summer.__call__", rewrite="summer_lax", args=_args,
            hazard="nnx/write-in-closure", expect="unsafe", primitive="scan",
            unsafe_raise_note={"carry input and carry output": "Variable's type"})
