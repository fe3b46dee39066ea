"""Refused: logging in the body."""
import logging

import jax
import jax.numpy as jnp

log = logging.getLogger(__name__)


@jax.jit
def rnn_logged(W, xs):
    h = jnp.zeros(W.shape[0])
    for x in xs:
        h = jnp.tanh(W @ h + x)
        logging.info("step done: %s", h.shape)
    return h


CASE = dict(reason='the body calls `logging.info`')
