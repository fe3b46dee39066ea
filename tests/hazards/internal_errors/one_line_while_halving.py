"""Trap: a one-line `while` on a traced condition (`while x > 1.0: x = x / 2.0`)."""
import jax
import jax.numpy as jnp


@jax.jit
def normalise_exponent(x):
    while x > 1.0: x = x / 2.0
    return x


# --- hand-written lax rewrite -------------------------------------------------------------

@jax.jit
def normalise_exponent_lax(x):
    return jax.lax.while_loop(lambda x: x > 1.0, lambda x: x / 2.0, x)


def _args(T):
    return (jnp.float32(3.0 * T),)


CASE = dict(entry="normalise_exponent", rewrite="normalise_exponent_lax", args=_args,
            hazard="internal/one-line-while", expect="unsafe", primitive="while",
            differentiable=False,
            unsafe_raise_note={"Reverse-mode differentiation": "reverse-differentiable"})
