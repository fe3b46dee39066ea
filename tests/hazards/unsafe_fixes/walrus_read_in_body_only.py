"""Trap: the walrus binds the squared norm in the test (`(d := jnp.sum(x * x)) > tol`) and
the body divides by it: the body must see the value the test just computed."""
import jax
import jax.numpy as jnp


@jax.jit
def deflate(x, tol):
    while (d := jnp.sum(x * x)) > tol:
        x = x - 0.5 * x * d / (1.0 + d)
    return x


# --- hand-written lax rewrite -------------------------------------------------------------

@jax.jit
def deflate_lax(x, tol):
    def body(x):
        d = jnp.sum(x * x)
        return x - 0.5 * x * d / (1.0 + d)

    return jax.lax.while_loop(lambda x: jnp.sum(x * x) > tol, body, x)


def _args(T):
    return jnp.linspace(0.2, 0.4 * T, 4), jnp.float32(1e-2)


CASE = dict(entry="deflate", rewrite="deflate_lax", args=_args, hazard="unsafe/walrus-while",
            expect="unsafe", primitive="while", differentiable=False,
            unsafe_raise_note={"Reverse-mode differentiation": "reverse-differentiable"})
