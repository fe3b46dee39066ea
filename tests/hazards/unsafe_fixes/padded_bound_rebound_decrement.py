"""Trap: `for t in range(min(n, xs.shape[0]))` fixes the trip count once, then the body
rebinds `n` (`n = n - 1`, tokens left). A pad-and-mask rewrite whose mask re-reads `t < n`
each step sees the shrinking `n` and stops early, silently."""
import jax
import jax.numpy as jnp


@jax.jit
def consume_tokens(xs: jax.Array, n):
    total = jnp.zeros(())
    for t in range(min(n, xs.shape[0])):
        total = total + xs[t]
        n = n - 1
    return total, n


# --- hand-written lax rewrite -------------------------------------------------------------

@jax.jit
def consume_tokens_lax(xs, n):
    bound = jnp.minimum(n, xs.shape[0])        # evaluated once, like range()

    def step(carry, t):
        total, n = carry
        active = t < bound
        return (jnp.where(active, total + xs[t], total), jnp.where(active, n - 1, n)), None

    (total, n), _ = jax.lax.scan(step, (jnp.zeros(()), n), jnp.arange(xs.shape[0]))
    return total, n


def _args(T):
    return jax.random.normal(jax.random.key(131), (T,)), jnp.int32(T - 1)


CASE = dict(entry="consume_tokens", rewrite="consume_tokens_lax", args=_args,
            hazard="unsafe/padded-bound-rebound", expect="refuse", primitive="scan",
            trip_counts=(3, 6))
