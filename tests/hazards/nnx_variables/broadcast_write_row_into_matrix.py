"""Trap: the body writes a (4,) row into a (2, 4) Variable (`self.memory[...] = h`): the
write broadcasts the row to both slots, so a local carry would change shape."""
import jax
import jax.numpy as jnp
from flax import nnx


class Memory(nnx.Variable):
    pass


class Cell(nnx.Module):
    def __init__(self):
        self.memory = Memory(jnp.zeros((2, 4)))

    def __call__(self, h, T):
        def body(i, h):
            h = jnp.tanh(h + jnp.sum(self.memory[...], axis=0))
            self.memory[...] = h * 0.5
            return h

        return jax.lax.fori_loop(0, T, body, h)


# --- hand-written lax rewrite -------------------------------------------------------------

def cell_lax(model, h, T):
    def body(i, carry):
        h, memory = carry
        h = jnp.tanh(h + jnp.sum(memory, axis=0))
        return h, jnp.broadcast_to(h * 0.5, memory.shape)

    h, memory = jax.lax.fori_loop(0, T, body, (h, model.memory[...]))
    model.memory[...] = memory
    return h


def _args(T):
    return Cell(), jax.random.normal(jax.random.key(109), (4,)), T


CASE = dict(entry="Cell.__call__", rewrite="cell_lax", args=_args,
            hazard="nnx/broadcasting-write", expect="refuse", primitive="scan",
            unsafe_raise_note={"carry output must have equal types": "shape"})
