"""Trap: a one-line `while` in an nnx module method that reads a Param in its body
(`while jnp.sum(h) < 5.0: h = h + self.step[...]`)."""
import jax
import jax.numpy as jnp
from flax import nnx


class Climber(nnx.Module):
    def __init__(self):
        self.step = nnx.Param(jnp.full((4,), 0.3))

    def __call__(self, h):
        while jnp.sum(h) < 5.0: h = h + self.step[...]
        return h


# --- hand-written lax rewrite -------------------------------------------------------------

def climber_lax(model, h):
    step = model.step[...]
    return jax.lax.while_loop(lambda h: jnp.sum(h) < 5.0, lambda h: h + step, h)


def _args(T):
    return Climber(), jnp.full((4,), 0.1 * T)


CASE = dict(entry="Climber.__call__", rewrite="climber_lax", args=_args,
            hazard="internal/one-line-while", expect="unsafe", primitive="while",
            differentiable=False,
            unsafe_raise_note={"Reverse-mode differentiation": "reverse-differentiable"})
