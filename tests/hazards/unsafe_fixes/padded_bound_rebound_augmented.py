"""Trap: `for t in range(min(n, xs.shape[0]))` with `n += 1` in the body (an augmented
rebinding of the bound): the range was fixed once; a mask reading `t < n` each step is not."""
import jax
import jax.numpy as jnp


@jax.jit
def extend(xs: jax.Array, n):
    acc = jnp.zeros(())
    for t in range(min(n, xs.shape[0])):
        acc = acc * 0.5 + xs[t]
        n += 1
    return acc


# --- hand-written lax rewrite -------------------------------------------------------------

@jax.jit
def extend_lax(xs, n):
    bound = jnp.minimum(n, xs.shape[0])
    acc, _ = jax.lax.scan(lambda a, t: (jnp.where(t < bound, a * 0.5 + xs[t], a), None),
                          jnp.zeros(()), jnp.arange(xs.shape[0]))
    return acc


def _args(T):
    return jax.random.normal(jax.random.key(137), (T,)), jnp.int32(T // 2)


CASE = dict(entry="extend", rewrite="extend_lax", args=_args,
            hazard="unsafe/padded-bound-rebound", expect="refuse", primitive="scan",
            trip_counts=(3, 6))
