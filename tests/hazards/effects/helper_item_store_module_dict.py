"""Trap: the helper keeps a running maximum in a module-level dict (`STATS["peak"] = ...`) and
counts its calls there; the caller reports the calls it made. Traced once in a scan step, the
count moves by one."""
import jax
import jax.numpy as jnp

STATS = {"calls": 0}


def squash(v):
    STATS["calls"] = STATS["calls"] + 1
    return jnp.tanh(v)


@jax.jit
def squash_all(h, xs: jax.Array):
    before = STATS["calls"]
    for x in xs:
        h = squash(0.5 * h + x)
    return h, STATS["calls"] - before


# --- hand-written lax rewrite -------------------------------------------------------------

@jax.jit
def squash_all_lax(h, xs):
    h, _ = jax.lax.scan(lambda h, x: (jnp.tanh(0.5 * h + x), None), h, xs)
    return h, xs.shape[0]


def _args(T):
    k1, k2 = jax.random.split(jax.random.key(36))
    return jax.random.normal(k1, (4,)), jax.random.normal(k2, (T, 4))


CASE = dict(entry="squash_all", rewrite="squash_all_lax", args=_args,
            hazard="effects/mutates-global", expect="refuse", primitive="scan",
            unsafe_raise_note={"unexpected tracer": "side effect"})
