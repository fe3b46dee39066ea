"""Trap: `range(1, min(n, 8))` with a traced `n`: Python's `min` compares a tracer (a
TracerBoolConversionError) wherever it runs, so a fori_loop keeping `min(n, 8)` as its bound
still raises; `jnp.minimum` is the fix."""
import jax
import jax.numpy as jnp


@jax.jit
def partial_product(xs: jax.Array, n):
    acc = xs[0]
    for i in range(1, min(n, 8)):
        acc = acc * xs[i]
    return acc


# --- hand-written lax rewrite -------------------------------------------------------------

@jax.jit
def partial_product_lax(xs, n):
    return jax.lax.fori_loop(1, jnp.minimum(n, 8), lambda i, acc: acc * xs[i], xs[0])


def _args(T):
    return jnp.linspace(0.5, 1.5, 8), jnp.int32(T)


CASE = dict(entry="partial_product", rewrite="partial_product_lax", args=_args,
            hazard="unsafe/min-traced-bound", expect="unsafe", primitive="while",
            differentiable=False, unsafe_raise_note={"TracerBoolConversion": ("min(", "`min`")})
