"""Trap: the step helper appends each state to a module-level log, and the caller reads back
the states it logged this call (`LOG[start:]`). Traced once in a scan step, the log gets one
tracer."""
import jax
import jax.numpy as jnp

LOG = []


def step(W, h, x):
    h = jnp.tanh(W @ h + x)
    LOG.append(h)
    return h


@jax.jit
def logged(W, h, xs: jax.Array):
    start = len(LOG)
    for x in xs:
        h = step(W, h, x)
    return h, jnp.stack(LOG[start:])


# --- hand-written lax rewrite -------------------------------------------------------------

@jax.jit
def logged_lax(W, h, xs):
    def body(h, x):
        h = jnp.tanh(W @ h + x)
        return h, h

    h, hs = jax.lax.scan(body, h, xs)
    return h, hs


def _args(T):
    k1, k2, k3 = jax.random.split(jax.random.key(35), 3)
    return (jax.random.normal(k1, (4, 4)) / 3, jax.random.normal(k2, (4,)),
            jax.random.normal(k3, (T, 4)))


CASE = dict(entry="logged", rewrite="logged_lax", args=_args, hazard="effects/mutates-global",
            expect="refuse", primitive="scan",
            unsafe_raise_note={"unexpected tracer": "side effect"})
