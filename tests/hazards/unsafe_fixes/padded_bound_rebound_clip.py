"""Trap: the body clips the bound it started from (`n = jnp.minimum(n, 2)`): Python's
`range(min(n, ...))` already ran with the first `n`; a re-reading mask stops after two steps."""
import jax
import jax.numpy as jnp


@jax.jit
def clipped(xs: jax.Array, n):
    acc = jnp.zeros(())
    for t in range(min(n, xs.shape[0])):
        acc = acc + xs[t] ** 2
        n = jnp.minimum(n, 2)
    return acc


# --- hand-written lax rewrite -------------------------------------------------------------

@jax.jit
def clipped_lax(xs, n):
    bound = jnp.minimum(n, xs.shape[0])
    acc, _ = jax.lax.scan(lambda a, t: (jnp.where(t < bound, a + xs[t] ** 2, a), None),
                          jnp.zeros(()), jnp.arange(xs.shape[0]))
    return acc


def _args(T):
    return jax.random.normal(jax.random.key(138), (T,)), jnp.int32(T)


CASE = dict(entry="clipped", rewrite="clipped_lax", args=_args,
            hazard="unsafe/padded-bound-rebound", expect="refuse", primitive="scan",
            trip_counts=(4, 6))
