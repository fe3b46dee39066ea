"""Refused: the body writes one row of a Variable (`self.buf[i] = ...`), not the whole value."""
import jax
import jax.numpy as jnp
from flax import nnx


class Recorder(nnx.Module):
    def __init__(self, T: int, d: int):
        self.buf = nnx.Variable(jnp.zeros((T, d)))

    def __call__(self, h):
        def body(i, h):
            h = jnp.tanh(h)
            self.buf[i] = h
            return h

        h = jax.lax.fori_loop(0, self.buf.shape[0], body, h)
        return h


CASE = dict(reason="the body writes part of `self.buf` (`self.buf[i]`)")
