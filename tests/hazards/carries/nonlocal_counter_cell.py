"""Trap: the cell counts its calls in a `nonlocal` int of the encoder, which scales the
result. Traced once in a scan step, the count is 1."""
import jax
import jax.numpy as jnp


@jax.jit
def encode(W, h, xs: jax.Array):
    n = 0

    def cell(h, x):
        nonlocal n
        n += 1
        return jnp.tanh(W @ h + x)

    for x in xs:
        h = cell(h, x)
    return h * n


# --- hand-written lax rewrite -------------------------------------------------------------

@jax.jit
def encode_lax(W, h, xs):
    h, _ = jax.lax.scan(lambda h, x: (jnp.tanh(W @ h + x), None), h, xs)
    return h * xs.shape[0]


def _args(T):
    k1, k2, k3 = jax.random.split(jax.random.key(64), 3)
    return (jax.random.normal(k1, (4, 4)) / 3, jax.random.normal(k2, (4,)),
            jax.random.normal(k3, (T, 4)))


CASE = dict(entry="encode", rewrite="encode_lax", args=_args, hazard="carries/global-nonlocal",
            expect="refuse", primitive="scan",
            unsafe_raise_note={"unexpected tracer": "side effect"})
