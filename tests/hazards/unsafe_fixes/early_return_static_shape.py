"""Trap: the early return is taken at a static step (`if t == 3: return jnp.sum(h)`), so
Python returns a scalar when there are more than three steps and the (4,) state otherwise.
A masked scan's `jnp.where(done, jnp.sum(h), h)` broadcasts both to (4,)."""
import jax
import jax.numpy as jnp


@jax.jit
def warm_probe(xs: jax.Array):
    h = jnp.zeros(4)
    for t in range(xs.shape[0]):
        h = 0.5 * h + xs[t]
        if t == 3:
            return jnp.sum(h)
    return h


# --- hand-written lax rewrite -------------------------------------------------------------

@jax.jit
def warm_probe_lax(xs):
    n = min(xs.shape[0], 4)                 # static: the steps Python runs
    h, _ = jax.lax.scan(lambda h, x: (0.5 * h + x, None), jnp.zeros(4), xs[:n])
    return jnp.sum(h) if xs.shape[0] > 3 else h


def _args(T):
    return (jax.random.normal(jax.random.key(122), (T, 4)),)


CASE = dict(entry="warm_probe", rewrite="warm_probe_lax", args=_args,
            hazard="unsafe/early-return-types", expect="refuse", primitive="scan",
            trip_counts=(5, 7))
