"""Trap: Newton iterations in a `while` on a traced residual, inside a function that is
differentiated in reverse mode (`jax.value_and_grad`). A `jax.lax.while_loop` rewrite is not
reverse-differentiable: the jitted gradient raises."""
import jax
import jax.numpy as jnp


def newton_sqrt(a):
    x = a
    while jnp.abs(x * x - a) > 1e-4:
        x = 0.5 * (x + a / x)
    return x


@jax.jit
def sqrt_and_slope(a):
    return jax.value_and_grad(newton_sqrt)(a)


# --- hand-written lax rewrite -------------------------------------------------------------

def newton_sqrt_lax(a):
    def step(carry, _):
        x, done = carry
        done = done | (jnp.abs(x * x - a) <= 1e-4)
        return (jnp.where(done, x, 0.5 * (x + a / x)), done), None

    (x, _), _ = jax.lax.scan(step, (a, False), None, length=40)   # converges well before 40
    return x


@jax.jit
def sqrt_and_slope_lax(a):
    return jax.value_and_grad(newton_sqrt_lax)(a)


def _args(T):
    return (jnp.float32(0.5 + T),)


CASE = dict(entry="sqrt_and_slope", rewrite="sqrt_and_slope_lax", args=_args,
            hazard="unsafe/while-under-grad", expect="unsafe", primitive="scan",
            unsafe_raise_note={"Reverse-mode differentiation": "reverse-differentiable"})
