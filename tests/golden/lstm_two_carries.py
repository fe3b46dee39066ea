"""LSTM over a sequence: two carries (h, c) and the hidden states as outputs."""
import jax
import jax.numpy as jnp


def lstm_cell(W, U, b, h, c, x):
    gates = W @ x + U @ h + b
    i, f, g, o = jnp.split(gates, 4)
    c = jax.nn.sigmoid(f) * c + jax.nn.sigmoid(i) * jnp.tanh(g)
    h = jax.nn.sigmoid(o) * jnp.tanh(c)
    return h, c


@jax.jit
def lstm(W, U, b, xs):
    h = jnp.zeros(U.shape[1], xs.dtype)
    c = jnp.zeros_like(h)
    hs = []
    for x in xs:
        h, c = lstm_cell(W, U, b, h, c, x)
        hs.append(h)
    return jnp.stack(hs), c


def _args(T):
    k1, k2, k3 = jax.random.split(jax.random.key(0), 3)
    return (jax.random.normal(k1, (16, 3)) / 2, jax.random.normal(k2, (16, 4)) / 2,
            jnp.zeros(16), jax.random.normal(k3, (T, 3)))


CASE = dict(entry="lstm", args=_args, grad=None, unsafe=False, primitive="scan",
            differentiable=True, trip_counts=(4, 16))
