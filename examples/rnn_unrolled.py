"""A GRU sequence encoder written the NumPy way: a Python loop over time.

Anti-patterns, as jaxloop-lint reports them:
  * `for t in range(xs.shape[0])` unrolls once per time step at trace time   (JXL102)
  * `outs.append(h)` + `jnp.stack(outs)`: a scan's per-step output by hand   (JXL201)
  * `for x in xs` in the Elman baseline unrolls in the same way              (JXL101)
  * a half-converted version already uses lax.scan, but its body logs the
    hidden states to an outer list, which runs once and leaks a tracer       (JXL203)
Loops that stay quiet: the readout MLP over a list of (w, b) pairs inside `encode` (static and
idiomatic), and the loop over the three gates in `init_params`, which is not traced.

Everything here runs under jax.jit except `encode_logged`. It raises UnexpectedTracerError, so
the demo runs that one under jax.disable_jit().
"""
import jax
import jax.numpy as jnp


def init_params(key, d_in: int, d_hidden: int, d_out: int):
    keys = jax.random.split(key, 8)
    cell = {}
    for i, gate in enumerate(("z", "r", "n")):  # three gate blocks: static
        cell["W" + gate] = jax.random.normal(keys[i], (d_hidden, d_in)) / jnp.sqrt(d_in)
        cell["U" + gate] = jax.random.normal(keys[3 + i], (d_hidden, d_hidden)) / jnp.sqrt(d_hidden)
        cell["b" + gate] = jnp.zeros(d_hidden)
    readout = [
        (jax.random.normal(keys[6], (d_hidden, d_hidden)) / jnp.sqrt(d_hidden), jnp.zeros(d_hidden)),
        (jax.random.normal(keys[7], (d_hidden, d_out)) / jnp.sqrt(d_hidden), jnp.zeros(d_out)),
    ]
    return {"cell": cell, "readout": readout}


def gru_cell(p, h, x):
    z = jax.nn.sigmoid(p["Wz"] @ x + p["Uz"] @ h + p["bz"])
    r = jax.nn.sigmoid(p["Wr"] @ x + p["Ur"] @ h + p["br"])
    n = jnp.tanh(p["Wn"] @ x + p["Un"] @ (r * h) + p["bn"])
    return (1.0 - z) * n + z * h


@jax.jit
def encode(params, xs):
    """GRU over a (T, d_in) sequence; returns per-step features of shape (T, d_out)."""
    h = jnp.zeros(params["cell"]["Uz"].shape[0])
    outs = []
    for t in range(xs.shape[0]):
        h = gru_cell(params["cell"], h, xs[t])
        outs.append(h)
    hs = jnp.stack(outs)
    for w, b in params["readout"]:  # quiet: a Python list of layers
        hs = jnp.tanh(hs @ w + b)
    return hs


@jax.jit
def elman_last_state(W, U, h, xs):
    """The tanh-RNN baseline: only the final state is needed."""
    for x in xs:
        h = jnp.tanh(W @ h + U @ x)
    return h


@jax.jit
def encode_logged(params, xs):
    """Already converted to lax.scan, but still logs the hidden states to a Python list."""
    hidden = []

    def step(h, x):
        h = gru_cell(params["cell"], h, x)
        hidden.append(h)
        return h, None

    h0 = jnp.zeros(params["cell"]["Uz"].shape[0])
    h, _ = jax.lax.scan(step, h0, xs)
    return h, jnp.stack(hidden)


if __name__ == "__main__":
    key = jax.random.key(0)
    params = init_params(key, d_in=4, d_hidden=8, d_out=2)
    xs = jax.random.normal(jax.random.key(1), (6, 4))
    print("encode:", encode(params, xs).shape)
    W = params["cell"]["Un"]
    U = params["cell"]["Wn"]
    print("elman_last_state:", elman_last_state(W, U, jnp.zeros(8), xs).round(3))
    try:
        encode_logged(params, xs)
    except jax.errors.UnexpectedTracerError as e:
        print("encode_logged under jit:", type(e).__name__)
    with jax.disable_jit():
        h, hidden = encode_logged(params, xs)
    print("encode_logged under disable_jit:", hidden.shape)
