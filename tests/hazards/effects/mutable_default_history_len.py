"""Trap: `remember(v, seen=[])` appends to its mutable default and returns how many it has
seen; the step size decays with the states seen this call. One trace of a scan step appends
once, so every step gets the first step's size."""
import jax
import jax.numpy as jnp


def remember(v, seen=[]):  # noqa: B006 - the hazard
    seen.append(v)
    return len(seen)


@jax.jit
def relax(h, xs: jax.Array):
    base = remember(h)
    for x in xs:
        h = h - (h - x) / (1 + remember(h) - base)
    return h


# --- hand-written lax rewrite -------------------------------------------------------------

@jax.jit
def relax_lax(h, xs):
    def step(h, kx):
        k, x = kx
        return h - (h - x) / (1 + k), None

    h, _ = jax.lax.scan(step, h, (jnp.arange(1, xs.shape[0] + 1), xs))
    return h


def _args(T):
    k1, k2 = jax.random.split(jax.random.key(40))
    return jax.random.normal(k1, (4,)), jax.random.normal(k2, (T, 4))


CASE = dict(entry="relax", rewrite="relax_lax", args=_args, hazard="effects/mutable-default",
            expect="refuse", primitive="scan",
            unsafe_raise_note={"unexpected tracer": "side effect"})
