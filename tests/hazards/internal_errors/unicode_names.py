"""Trap: non-ASCII identifiers (`hₜ`, `xₜ`, `β`) in the loop, its target and its carry."""
import jax
import jax.numpy as jnp


@jax.jit
def ünicode(β, hₜ, xs: jax.Array):
    for xₜ in xs:
        hₜ = jnp.tanh(β * hₜ + xₜ)
    return hₜ


# --- hand-written lax rewrite -------------------------------------------------------------

@jax.jit
def unicode_lax(β, h, xs):
    h, _ = jax.lax.scan(lambda h, x: (jnp.tanh(β * h + x), None), h, xs)
    return h


def _args(T):
    k1, k2 = jax.random.split(jax.random.key(150))
    return jnp.float32(0.7), jax.random.normal(k1, (4,)), jax.random.normal(k2, (T, 4))


CASE = dict(entry="ünicode", rewrite="unicode_lax", args=_args, hazard="internal/odd-syntax",
            expect="safe", primitive="scan")
