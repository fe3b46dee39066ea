"""GRU sequence encoder written with an index loop over time."""
import jax
import jax.numpy as jnp


def gru_cell(p, h, x):
    z = jax.nn.sigmoid(p["Wz"] @ x + p["Uz"] @ h)
    r = jax.nn.sigmoid(p["Wr"] @ x + p["Ur"] @ h)
    n = jnp.tanh(p["Wn"] @ x + p["Un"] @ (r * h))
    return (1.0 - z) * n + z * h


@jax.jit
def gru_encode(params, xs):
    h = jnp.zeros(params["Uz"].shape[0])
    outs = []
    for t in range(xs.shape[0]):
        h = gru_cell(params, h, xs[t])
        outs.append(h)
    return jnp.stack(outs)


def _args(T):
    keys = jax.random.split(jax.random.key(0), 7)
    params = {}
    for i, g in enumerate("zrn"):
        params["W" + g] = jax.random.normal(keys[i], (6, 3)) / 2
        params["U" + g] = jax.random.normal(keys[3 + i], (6, 6)) / 3
    return params, jax.random.normal(keys[6], (T, 3))


CASE = dict(entry="gru_encode", args=_args, grad=None, unsafe=False, primitive="scan",
            differentiable=True, trip_counts=(4, 16))
