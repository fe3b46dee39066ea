"""Trap: `step = partial(cell)` looks like the pure-partial control, but `cell` is a closure
over `h`, which the loop rebinds: the partial binds no argument that matters, and `cell`
still reads `h` late. In a scan step it would read the initial state."""
from functools import partial

import jax
import jax.numpy as jnp


@jax.jit
def run(W, h, xs: jax.Array):
    def cell(x):
        return jnp.tanh(W @ h + x)

    step = partial(cell)
    for x in xs:
        h = step(x)
    return h


# --- hand-written lax rewrite -------------------------------------------------------------

@jax.jit
def run_lax(W, h, xs):
    h, _ = jax.lax.scan(lambda h, x: (jnp.tanh(W @ h + x), None), h, xs)
    return h


def _args(T):
    k1, k2, k3 = jax.random.split(jax.random.key(33), 3)
    return (jax.random.normal(k1, (4, 4)) / 3, jax.random.normal(k2, (4,)),
            jax.random.normal(k3, (T, 4)))


CASE = dict(entry="run", rewrite="run_lax", args=_args, hazard="closures/late-binding",
            expect="refuse", primitive="scan")
