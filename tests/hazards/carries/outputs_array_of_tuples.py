"""Trap: per-step tuples consumed by `jnp.array(outs)`: one (T, 2) array, where a scan's
per-step outputs would be a tuple of two (T,) arrays."""
import jax
import jax.numpy as jnp


@jax.jit
def stats(W, h, xs: jax.Array):
    outs = []
    for x in xs:
        h = jnp.tanh(W @ h + x)
        outs.append((jnp.mean(h), jnp.max(h)))
    return jnp.array(outs)


# --- hand-written lax rewrite -------------------------------------------------------------

@jax.jit
def stats_lax(W, h, xs):
    def step(h, x):
        h = jnp.tanh(W @ h + x)
        return h, jnp.stack([jnp.mean(h), jnp.max(h)])

    _, outs = jax.lax.scan(step, h, xs)
    return outs


def _args(T):
    k1, k2, k3 = jax.random.split(jax.random.key(91), 3)
    return (jax.random.normal(k1, (4, 4)) / 3, jax.random.normal(k2, (4,)),
            jax.random.normal(k3, (T, 4)))


CASE = dict(entry="stats", rewrite="stats_lax", args=_args, hazard="carries/array-of-tuples",
            expect="refuse", primitive="scan",
            XFAIL_SAFE=("WRONG-safe-silent after `rewrite as jax.lax.scan carrying h with "
                        "per-step outputs outs`: structure: out: pytree structure differs:"),
            XFAIL_UNSAFE=("WRONG-safe-silent after `rewrite as jax.lax.scan carrying h with"
                          " per-step outputs outs`: structure: out: pytree structure "
                          "differs:"))
