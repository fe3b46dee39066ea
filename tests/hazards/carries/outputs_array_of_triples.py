"""Trap: per-step summaries `(min, mean, max)` consumed by `jnp.array(outs).T`: a (3, T)
array, not a scan's tuple of three (T,) arrays."""
import jax
import jax.numpy as jnp


@jax.jit
def summaries(h, xs: jax.Array):
    outs = []
    for x in xs:
        h = 0.8 * h + x
        outs.append((jnp.min(h), jnp.mean(h), jnp.max(h)))
    return jnp.array(outs).T


# --- hand-written lax rewrite -------------------------------------------------------------

@jax.jit
def summaries_lax(h, xs):
    def step(h, x):
        h = 0.8 * h + x
        return h, jnp.stack([jnp.min(h), jnp.mean(h), jnp.max(h)])

    _, outs = jax.lax.scan(step, h, xs)
    return outs.T


def _args(T):
    k1, k2 = jax.random.split(jax.random.key(105))
    return jax.random.normal(k1, (4,)), jax.random.normal(k2, (T, 4))


CASE = dict(entry="summaries", rewrite="summaries_lax", args=_args,
            hazard="carries/array-of-tuples", expect="refuse", primitive="scan",
            XFAIL_SAFE=("WRONG-safe-raises after `rewrite as jax.lax.scan carrying h with "
                        "per-step outputs outs`: candidate raises AttributeError: 'tuple' "
                        "object has no attribute 'T'"),
            XFAIL_UNSAFE=("WRONG-safe-raises after `rewrite as jax.lax.scan carrying h with"
                          " per-step outputs outs`: candidate raises AttributeError: "
                          "'tuple' object has no attribute 'T'"))
