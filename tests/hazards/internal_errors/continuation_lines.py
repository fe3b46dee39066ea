"""Trap: a backslash continuation in the loop header and a parenthesised expression over
several lines with comments inside it."""
import jax
import jax.numpy as jnp


@jax.jit
def damped(W, h, xs: jax.Array):
    for x \
            in xs:
        h = (
            0.5 * h  # memory
            + jnp.tanh(W @ h  # recurrence
                       + x)
        )
    return h


# --- hand-written lax rewrite -------------------------------------------------------------

@jax.jit
def damped_lax(W, h, xs):
    h, _ = jax.lax.scan(lambda h, x: (0.5 * h + jnp.tanh(W @ h + x), None), h, xs)
    return h


def _args(T):
    k1, k2, k3 = jax.random.split(jax.random.key(147), 3)
    return (jax.random.normal(k1, (4, 4)) / 3, jax.random.normal(k2, (4,)),
            jax.random.normal(k3, (T, 4)))


CASE = dict(entry="damped", rewrite="damped_lax", args=_args, hazard="internal/odd-syntax",
            expect="safe", primitive="scan")
