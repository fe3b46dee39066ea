"""Refused: the body mutates an outer list other than by the stacked-append pattern."""
import jax
import jax.numpy as jnp


@jax.jit
def rnn_with_history(W, xs, history):
    h = jnp.zeros(W.shape[0])
    for x in xs:
        h = jnp.tanh(W @ h + x)
        history.insert(0, h)
    return h


CASE = dict(reason='`history` is not appended exactly once per step')
