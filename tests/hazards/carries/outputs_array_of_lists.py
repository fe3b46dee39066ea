"""Trap: per-step lists `[h[0], h[-1]]` consumed by `jnp.array(outs)`: a (T, 2) array, not
a list of two stacked arrays."""
import jax
import jax.numpy as jnp


@jax.jit
def ends(h, xs: jax.Array):
    outs = []
    for x in xs:
        h = 0.5 * h + x
        outs.append([h[0], h[-1]])
    return jnp.array(outs)


# --- hand-written lax rewrite -------------------------------------------------------------

@jax.jit
def ends_lax(h, xs):
    def step(h, x):
        h = 0.5 * h + x
        return h, jnp.stack([h[0], h[-1]])

    _, outs = jax.lax.scan(step, h, xs)
    return outs


def _args(T):
    k1, k2 = jax.random.split(jax.random.key(92))
    return jax.random.normal(k1, (4,)), jax.random.normal(k2, (T, 4))


CASE = dict(entry="ends", rewrite="ends_lax", args=_args, hazard="carries/array-of-tuples",
            expect="refuse", primitive="scan",
            XFAIL_SAFE=("WRONG-safe-silent after `rewrite as jax.lax.scan carrying h with "
                        "per-step outputs outs`: structure: out: pytree structure differs:"),
            XFAIL_UNSAFE=("WRONG-safe-silent after `rewrite as jax.lax.scan carrying h with"
                          " per-step outputs outs`: structure: out: pytree structure "
                          "differs:"))
