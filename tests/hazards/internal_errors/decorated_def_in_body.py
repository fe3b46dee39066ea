"""Trap: a decorated nested function inside the loop body (`@jax.checkpoint def cell(...)`)."""
import jax
import jax.numpy as jnp


@jax.jit
def deep(W, h, xs: jax.Array):
    for x in xs:
        @jax.checkpoint
        def cell(v):
            return jnp.tanh(W @ v + x)

        h = cell(h)
    return h


# --- hand-written lax rewrite -------------------------------------------------------------

@jax.jit
def deep_lax(W, h, xs):
    def step(h, x):
        return jax.checkpoint(lambda v: jnp.tanh(W @ v + x))(h), None

    h, _ = jax.lax.scan(step, h, xs)
    return h


def _args(T):
    k1, k2, k3 = jax.random.split(jax.random.key(145), 3)
    return (jax.random.normal(k1, (4, 4)) / 3, jax.random.normal(k2, (4,)),
            jax.random.normal(k3, (T, 4)))


CASE = dict(entry="deep", rewrite="deep_lax", args=_args, hazard="internal/odd-syntax",
            expect="safe", primitive="scan")
