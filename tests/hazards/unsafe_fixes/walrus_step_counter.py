"""Trap: the walrus binds the incremented counter in the test (`(k := k + 1) <= n`): the test
itself updates the state each time it runs, once more than the body."""
import jax
import jax.numpy as jnp


@jax.jit
def geometric(x, n):
    k = 0
    while (k := k + 1) <= n:
        x = x * 0.5 + k
    return x, k


# --- hand-written lax rewrite -------------------------------------------------------------

@jax.jit
def geometric_lax(x, n):
    def body(carry):
        x, k = carry
        x = x * 0.5 + k
        return x, k + 1

    return jax.lax.while_loop(lambda c: c[1] <= n, body, (x, 1))


def _args(T):
    return jnp.float32(1.0), jnp.int32(T)


CASE = dict(entry="geometric", rewrite="geometric_lax", args=_args, hazard="unsafe/walrus-while",
            expect="unsafe", primitive="while", differentiable=False,
            unsafe_raise_note={"Reverse-mode differentiation": "reverse-differentiable"})
