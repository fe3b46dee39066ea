"""Trap: per-step pairs of vectors `(h, x)` consumed by `jnp.asarray(outs)`: one (T, 2, 4)
array."""
import jax
import jax.numpy as jnp


@jax.jit
def pairs(W, h, xs: jax.Array):
    outs = []
    for x in xs:
        h = jnp.tanh(W @ h + x)
        outs.append((h, x))
    return jnp.asarray(outs)


# --- hand-written lax rewrite -------------------------------------------------------------

@jax.jit
def pairs_lax(W, h, xs):
    def step(h, x):
        h = jnp.tanh(W @ h + x)
        return h, jnp.stack([h, x])

    _, outs = jax.lax.scan(step, h, xs)
    return outs


def _args(T):
    k1, k2, k3 = jax.random.split(jax.random.key(93), 3)
    return (jax.random.normal(k1, (4, 4)) / 3, jax.random.normal(k2, (4,)),
            jax.random.normal(k3, (T, 4)))


CASE = dict(entry="pairs", rewrite="pairs_lax", args=_args, hazard="carries/array-of-tuples",
            expect="refuse", primitive="scan",
            XFAIL_SAFE=("WRONG-safe-silent after `rewrite as jax.lax.scan carrying h with "
                        "per-step outputs outs`: structure: out: pytree structure differs:"),
            XFAIL_UNSAFE=("WRONG-safe-silent after `rewrite as jax.lax.scan carrying h with"
                          " per-step outputs outs`: structure: out: pytree structure "
                          "differs:"))
