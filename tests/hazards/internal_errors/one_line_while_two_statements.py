"""Trap: a one-line `while` with two statements joined by `;`
(`while err > tol: x = jnp.cos(x); err = jnp.abs(jnp.cos(x) - x)`)."""
import jax
import jax.numpy as jnp


@jax.jit
def dottie(x, tol):
    err = jnp.abs(jnp.cos(x) - x)
    while err > tol: x = jnp.cos(x); err = jnp.abs(jnp.cos(x) - x)
    return x


# --- hand-written lax rewrite -------------------------------------------------------------

@jax.jit
def dottie_lax(x, tol):
    def body(c):
        x = jnp.cos(c[0])
        return x, jnp.abs(jnp.cos(x) - x)

    x, _ = jax.lax.while_loop(lambda c: c[1] > tol, body, (x, jnp.abs(jnp.cos(x) - x)))
    return x


def _args(T):
    return jnp.float32(0.1 * T), jnp.float32(1e-3)


CASE = dict(entry="dottie", rewrite="dottie_lax", args=_args,
            hazard="internal/one-line-while", expect="unsafe", primitive="while",
            differentiable=False,
            unsafe_raise_note={"Reverse-mode differentiation": "reverse-differentiable"})
