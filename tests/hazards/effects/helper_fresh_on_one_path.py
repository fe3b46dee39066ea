"""Trap: the helper's list is its own on one path only (`buf = [] if fresh else LOG`), and it
is called with the default `fresh=False`: it appends to the module's log. A purity check that
trusts the first binding it sees would call it pure."""
import jax
import jax.numpy as jnp

LOG = []


def step(W, h, x, fresh=False):
    if fresh:
        buf = []
    else:
        buf = LOG
    h = jnp.tanh(W @ h + x)
    buf.append(h)
    return h


@jax.jit
def logged(W, h, xs: jax.Array):
    start = len(LOG)
    for x in xs:
        h = step(W, h, x)
    return h, len(LOG) - start


# --- hand-written lax rewrite -------------------------------------------------------------

@jax.jit
def logged_lax(W, h, xs):
    h, _ = jax.lax.scan(lambda h, x: (jnp.tanh(W @ h + x), None), h, xs)
    return h, xs.shape[0]


def _args(T):
    k1, k2, k3 = jax.random.split(jax.random.key(43), 3)
    return (jax.random.normal(k1, (4, 4)) / 3, jax.random.normal(k2, (4,)),
            jax.random.normal(k3, (T, 4)))


CASE = dict(entry="logged", rewrite="logged_lax", args=_args, hazard="effects/mutates-global",
            expect="refuse", primitive="scan")
