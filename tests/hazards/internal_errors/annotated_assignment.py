"""Trap: annotated assignments in the body (`h: jax.Array = ...`) and an annotated carry
start before the loop."""
import jax
import jax.numpy as jnp


@jax.jit
def annotated(W, xs: jax.Array):
    h: jax.Array = jnp.zeros(4)
    for x in xs:
        pre: jax.Array = W @ h + x
        h: jax.Array = jnp.tanh(pre)
    return h


# --- hand-written lax rewrite -------------------------------------------------------------

@jax.jit
def annotated_lax(W, xs):
    h, _ = jax.lax.scan(lambda h, x: (jnp.tanh(W @ h + x), None), jnp.zeros(4), xs)
    return h


def _args(T):
    k1, k2 = jax.random.split(jax.random.key(148))
    return jax.random.normal(k1, (4, 4)) / 3, jax.random.normal(k2, (T, 4))


CASE = dict(entry="annotated", rewrite="annotated_lax", args=_args, hazard="internal/odd-syntax",
            expect="safe", primitive="scan")
