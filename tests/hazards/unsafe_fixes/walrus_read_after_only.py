"""Trap: the walrus in the test binds the peak (`(m := jnp.max(x)) > 1.0`), the body halves
`x`, and `m` is returned after the loop: the last test's value, which a rewrite must carry."""
import jax
import jax.numpy as jnp


@jax.jit
def shrink(x):
    while (m := jnp.max(x)) > 1.0:
        x = x * 0.5
    return x, m


# --- hand-written lax rewrite -------------------------------------------------------------

@jax.jit
def shrink_lax(x):
    def body(c):
        x = c[0] * 0.5
        return x, jnp.max(x)

    return jax.lax.while_loop(lambda c: c[1] > 1.0, body, (x, jnp.max(x)))


def _args(T):
    return (jnp.linspace(0.5, 3.0 * T, 4),)


CASE = dict(entry="shrink", rewrite="shrink_lax", args=_args, hazard="unsafe/walrus-while",
            expect="unsafe", primitive="while", differentiable=False,
            unsafe_raise_note={"Reverse-mode differentiation": "reverse-differentiable"})
