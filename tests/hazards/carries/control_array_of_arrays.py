"""Control: `jnp.array(outs)` over per-step arrays is `jnp.stack(outs)`: the scan's stacked
outputs are the same values, shape and dtype."""
import jax
import jax.numpy as jnp


@jax.jit
def states(W, h, xs: jax.Array):
    outs = []
    for x in xs:
        h = jnp.tanh(W @ h + x)
        outs.append(h)
    return jnp.array(outs)


# --- hand-written lax rewrite -------------------------------------------------------------

@jax.jit
def states_lax(W, h, xs):
    def step(h, x):
        h = jnp.tanh(W @ h + x)
        return h, h

    _, outs = jax.lax.scan(step, h, xs)
    return outs


def _args(T):
    k1, k2, k3 = jax.random.split(jax.random.key(94), 3)
    return (jax.random.normal(k1, (4, 4)) / 3, jax.random.normal(k2, (4,)),
            jax.random.normal(k3, (T, 4)))


CASE = dict(entry="states", rewrite="states_lax", args=_args, hazard="carries/array-of-tuples",
            expect="safe", primitive="scan")
