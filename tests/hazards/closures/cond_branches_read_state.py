"""Trap: the two `lax.cond` branches are closures over `h`, defined before the loop that
rebinds `h`. Each Python step branches on the current `h`; in a scan step the branches would
keep returning functions of the initial `h`."""
import jax
import jax.numpy as jnp


@jax.jit
def gated(h, xs: jax.Array):
    def damp():
        return h * 0.5

    def keep():
        return h

    for x in xs:
        h = jax.lax.cond(jnp.sum(x) > 0, damp, keep) + x
    return h


# --- hand-written lax rewrite -------------------------------------------------------------

@jax.jit
def gated_lax(h, xs):
    def step(h, x):
        h = jax.lax.cond(jnp.sum(x) > 0, lambda: h * 0.5, lambda: h) + x
        return h, None

    h, _ = jax.lax.scan(step, h, xs)
    return h


def _args(T):
    k1, k2 = jax.random.split(jax.random.key(5))
    return jax.random.normal(k1, (4,)), jax.random.normal(k2, (T, 4))


CASE = dict(entry="gated", rewrite="gated_lax", args=_args, hazard="closures/late-binding",
            expect="refuse", primitive="scan")
