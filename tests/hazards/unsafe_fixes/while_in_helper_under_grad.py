"""Trap: the `while` is in a helper (`settle`) that the loss calls, and the loss is handed to
`jax.grad`: the reverse-mode gradient reaches the loop one call away from the transform."""
import jax
import jax.numpy as jnp


def settle(x):
    while jnp.abs(x) > 1.0:
        x = x * 0.5
    return x


def loss(x):
    return settle(x) ** 2


@jax.jit
def slope(x):
    return jax.grad(loss)(x)


# --- hand-written lax rewrite -------------------------------------------------------------

def settle_lax(x):
    def step(x, _):
        return jnp.where(jnp.abs(x) > 1.0, x * 0.5, x), None

    x, _ = jax.lax.scan(step, x, None, length=40)
    return x


@jax.jit
def slope_lax(x):
    return jax.grad(lambda x: settle_lax(x) ** 2)(x)


def _args(T):
    return (jnp.float32(1.5 * T),)


CASE = dict(entry="slope", rewrite="slope_lax", args=_args, hazard="unsafe/while-under-grad",
            expect="refuse", primitive="scan")
