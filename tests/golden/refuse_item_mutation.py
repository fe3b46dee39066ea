"""Refused: the body writes items of an outer dict (a cache of the latest state)."""
import jax
import jax.numpy as jnp


@jax.jit
def rnn_cached(W, xs):
    cache = {}
    h = jnp.zeros(W.shape[0])
    for x in xs:
        h = jnp.tanh(W @ h + x)
        cache["h"] = h
    return h, cache


CASE = dict(reason="the body assigns into `cache['h']`")
