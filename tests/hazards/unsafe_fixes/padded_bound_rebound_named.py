"""Trap: the bound is named first (`n = min(steps, xs.shape[0])`) and the body counts `n`
down as work is done: `range(n)` was evaluated once; a mask that reads `t < n` each step is
not the same loop."""
import jax
import jax.numpy as jnp


@jax.jit
def drain(xs: jax.Array, steps):
    n = min(steps, xs.shape[0])
    level = jnp.ones(())
    for t in range(n):
        level = level * 0.5 + xs[t]
        n -= 1
    return level


# --- hand-written lax rewrite -------------------------------------------------------------

@jax.jit
def drain_lax(xs, steps):
    bound = jnp.minimum(steps, xs.shape[0])

    def step(level, t):
        return jnp.where(t < bound, level * 0.5 + xs[t], level), None

    level, _ = jax.lax.scan(step, jnp.ones(()), jnp.arange(xs.shape[0]))
    return level


def _args(T):
    return jax.random.normal(jax.random.key(133), (T,)), jnp.int32(T)


CASE = dict(entry="drain", rewrite="drain_lax", args=_args, hazard="unsafe/padded-bound-rebound",
            expect="refuse", primitive="scan", trip_counts=(3, 6))
