"""Trap: the `while` test binds the residual with a walrus (`(r := ...) > tol`), the body
steps by `r`, and `r` is returned after the loop: it must be the value of the last test,
the one that failed, not the one the last body step read."""
import jax
import jax.numpy as jnp


@jax.jit
def settle(x, tol):
    while (r := jnp.abs(jnp.sin(x))) > tol:
        x = x - 0.5 * r * jnp.sign(jnp.sin(x))
    return x, r


# --- hand-written lax rewrite -------------------------------------------------------------

@jax.jit
def settle_lax(x, tol):
    def body(carry):
        x, r = carry
        x = x - 0.5 * r * jnp.sign(jnp.sin(x))
        return x, jnp.abs(jnp.sin(x))

    return jax.lax.while_loop(lambda c: c[1] > tol, body, (x, jnp.abs(jnp.sin(x))))


def _args(T):
    return jnp.float32(0.3 * T), jnp.float32(1e-3)


CASE = dict(entry="settle", rewrite="settle_lax", args=_args, hazard="unsafe/walrus-while",
            expect="unsafe", primitive="while", differentiable=False,
            unsafe_raise_note={"Reverse-mode differentiation": "reverse-differentiable"})
