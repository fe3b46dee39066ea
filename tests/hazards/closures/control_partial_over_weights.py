"""Control: `step = partial(cell, W)` binds only the weights, which the loop does not rebind."""
from functools import partial

import jax
import jax.numpy as jnp


def cell(W, h, x):
    return jnp.tanh(W @ h + x)


@jax.jit
def run(W, h, xs: jax.Array):
    step = partial(cell, W)
    hs = []
    for x in xs:
        h = step(h, x)
        hs.append(h)
    return jnp.stack(hs)


# --- hand-written lax rewrite -------------------------------------------------------------

@jax.jit
def run_lax(W, h, xs):
    def step(h, x):
        h = cell(W, h, x)
        return h, h

    _, hs = jax.lax.scan(step, h, xs)
    return hs


def _args(T):
    k1, k2, k3 = jax.random.split(jax.random.key(12), 3)
    return (jax.random.normal(k1, (4, 4)) / 3, jax.random.normal(k2, (4,)),
            jax.random.normal(k3, (T, 4)))


CASE = dict(entry="run", rewrite="run_lax", args=_args, hazard="closures/late-binding",
            expect="safe", primitive="scan")
