"""Refused: the output list is read inside the loop (a skip connection to the previous output)."""
import jax
import jax.numpy as jnp


@jax.jit
def residual_rnn(W, xs):
    h = jnp.zeros(W.shape[0])
    outs = [h]
    for x in xs:
        h = jnp.tanh(W @ h + x) + outs[-1]
        outs.append(h)
    return jnp.stack(outs)


CASE = dict(reason='`outs` is read inside the loop')
