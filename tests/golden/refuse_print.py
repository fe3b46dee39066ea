"""Refused: print in the body (a Python side effect that would run once under scan)."""
import jax
import jax.numpy as jnp


@jax.jit
def rnn_verbose(W, xs):
    h = jnp.zeros(W.shape[0])
    for x in xs:
        h = jnp.tanh(W @ h + x)
        print("h norm", jnp.linalg.norm(h))
    return h


CASE = dict(reason='the body calls `print()`')
