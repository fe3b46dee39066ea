"""Trap: the safe side of a walrus, `while (m := jnp.max(x)) > 1.0` where `m` is read
nowhere else: the cond function may keep the binding to itself, and the rewrite is the plain
while_loop one (unsafe only because while_loop is not reverse-differentiable)."""
import jax
import jax.numpy as jnp


@jax.jit
def shrink(x):
    while (m := jnp.max(x)) > 1.0:
        x = x * 0.5
    return x


# --- hand-written lax rewrite -------------------------------------------------------------

@jax.jit
def shrink_lax(x):
    return jax.lax.while_loop(lambda x: jnp.max(x) > 1.0, lambda x: x * 0.5, x)


def _args(T):
    return (jnp.linspace(0.5, 3.0 * T, 4),)


CASE = dict(entry="shrink", rewrite="shrink_lax", args=_args, hazard="unsafe/walrus-while",
            expect="unsafe", primitive="while", differentiable=False,
            unsafe_raise_note={"Reverse-mode differentiation": "reverse-differentiable"})
