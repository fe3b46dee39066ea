"""Trap: a scale doubled `while` below a threshold, in a function differentiated with
`jax.grad` (the gradient is 2**k): a while_loop rewrite is not reverse-differentiable."""
import jax
import jax.numpy as jnp


def normalise(p):
    scale = jnp.asarray(p)
    while scale < 10.0:
        scale = scale * 2.0
    return scale


@jax.jit
def slope(p):
    return jax.grad(normalise)(p)


# --- hand-written lax rewrite -------------------------------------------------------------

def normalise_lax(p):
    def step(scale, _):
        return jnp.where(scale < 10.0, scale * 2.0, scale), None

    scale, _ = jax.lax.scan(step, p, None, length=32)     # 2**32 covers any p > 1e-9
    return scale


@jax.jit
def slope_lax(p):
    return jax.grad(normalise_lax)(p)


def _args(T):
    return (jnp.float32(0.3 * T),)


CASE = dict(entry="slope", rewrite="slope_lax", args=_args, hazard="unsafe/while-under-grad",
            expect="unsafe", primitive="scan",
            unsafe_raise_note={"Reverse-mode differentiation": "reverse-differentiable"})
