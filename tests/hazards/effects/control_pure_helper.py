"""Control: `cell` is a pure module-level helper (jnp only): a scan step may call it once per
trace, since calling it has no effect but its result."""
import jax
import jax.numpy as jnp


def cell(W, U, h, x):
    z = W @ h + U @ x
    return jnp.tanh(z)


@jax.jit
def encode(W, U, h, xs: jax.Array):
    for x in xs:
        h = cell(W, U, h, x)
    return h


# --- hand-written lax rewrite -------------------------------------------------------------

@jax.jit
def encode_lax(W, U, h, xs):
    h, _ = jax.lax.scan(lambda h, x: (cell(W, U, h, x), None), h, xs)
    return h


def _args(T):
    k1, k2, k3, k4 = jax.random.split(jax.random.key(31), 4)
    return (jax.random.normal(k1, (4, 4)) / 3, jax.random.normal(k2, (4, 4)) / 3,
            jax.random.normal(k3, (4,)), jax.random.normal(k4, (T, 4)))


CASE = dict(entry="encode", rewrite="encode_lax", args=_args, hazard="effects/mutates-argument",
            expect="safe", primitive="scan")
