"""Trap: at a static step the loop returns a bool (`if t == 1: return jnp.sum(h) > 0`),
otherwise the (4,) float state after the loop; `jnp.where` over both paths would turn the bool
into a float vector."""
import jax
import jax.numpy as jnp


@jax.jit
def early_sign(xs: jax.Array):
    h = jnp.zeros(4)
    for t in range(xs.shape[0]):
        h = 0.5 * h + xs[t]
        if t == 1:
            return jnp.sum(h) > 0
    return h


# --- hand-written lax rewrite -------------------------------------------------------------

@jax.jit
def early_sign_lax(xs):
    n = min(xs.shape[0], 2)                 # static: the steps Python runs
    h, _ = jax.lax.scan(lambda h, x: (0.5 * h + x, None), jnp.zeros(4), xs[:n])
    return jnp.sum(h) > 0 if xs.shape[0] > 1 else h


def _args(T):
    return (jax.random.normal(jax.random.key(135), (T, 4)),)


CASE = dict(entry="early_sign", rewrite="early_sign_lax", args=_args,
            hazard="unsafe/early-return-types", expect="refuse", primitive="scan",
            trip_counts=(3, 5))
