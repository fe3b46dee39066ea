"""Refused: the result grows with jnp.concatenate (a new shape every step)."""
import jax
import jax.numpy as jnp


@jax.jit
def grow_history(W, xs):
    h = jnp.zeros(W.shape[0])
    history = jnp.zeros((0, W.shape[0]))
    for x in xs:
        h = jnp.tanh(W @ h + x)
        history = jnp.concatenate([history, h[None]], axis=0)
    return history


CASE = dict(reason='`history` grows every step (jnp.concatenate)')
