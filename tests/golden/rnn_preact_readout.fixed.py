"""RNN that records its pre-activations and readout logits (two output lists) per step."""
import jax
import jax.numpy as jnp


@jax.jit
def rnn_with_readout(W, U, V, xs):
    h = jnp.zeros(W.shape[0], xs.dtype)

    def rnn_with_readout_step(h, x):
        z = W @ h + U @ x
        logits_t = V @ jnp.tanh(z)
        h = jnp.tanh(z)
        return h, (z, logits_t)
    h, (preacts, logits) = jax.lax.scan(rnn_with_readout_step, h, xs)
    return preacts, logits


def _args(T):
    k1, k2, k3, k4 = jax.random.split(jax.random.key(0), 4)
    return (jax.random.normal(k1, (4, 4)) / 3, jax.random.normal(k2, (4, 3)) / 2,
            jax.random.normal(k3, (2, 4)), jax.random.normal(k4, (T, 3)))


CASE = dict(entry="rnn_with_readout", args=_args, grad="auto", unsafe=False, primitive="scan",
            differentiable=True, trip_counts=(4, 16))
