"""Trap: `range(max(n, 1))` (at least one step) with a traced `n`: Python's `max` on a tracer
raises; a fori_loop bound must be `jnp.maximum(n, 1)`."""
import jax
import jax.numpy as jnp


@jax.jit
def at_least_once(x, n):
    for _ in range(max(n, 1)):
        x = jnp.cos(x)
    return x


# --- hand-written lax rewrite -------------------------------------------------------------

@jax.jit
def at_least_once_lax(x, n):
    return jax.lax.fori_loop(0, jnp.maximum(n, 1), lambda i, x: jnp.cos(x), x)


def _args(T):
    return jnp.float32(0.5), jnp.int32(T - 2)


CASE = dict(entry="at_least_once", rewrite="at_least_once_lax", args=_args,
            hazard="unsafe/min-traced-bound", expect="unsafe", primitive="while",
            differentiable=False, unsafe_raise_note={"TracerBoolConversion": ("max(", "`max`")})
