"""Trap: a one-line `while` body with a tuple assignment (`while err > tol: x, err = f(x)`)."""
import jax
import jax.numpy as jnp


def refine(x):
    x_new = 0.5 * (x + 2.0 / x)
    return x_new, jnp.abs(x_new - x)


@jax.jit
def sqrt2(x, tol):
    err = jnp.ones(())
    while err > tol: x, err = refine(x)
    return x, err


# --- hand-written lax rewrite -------------------------------------------------------------

@jax.jit
def sqrt2_lax(x, tol):
    return jax.lax.while_loop(lambda c: c[1] > tol, lambda c: refine(c[0]), (x, jnp.ones(())))


def _args(T):
    return jnp.float32(T), jnp.float32(1e-4)


CASE = dict(entry="sqrt2", rewrite="sqrt2_lax", args=_args, hazard="internal/one-line-while",
            expect="unsafe", primitive="while", differentiable=False,
            unsafe_raise_note={"Reverse-mode differentiation": "reverse-differentiable"})
