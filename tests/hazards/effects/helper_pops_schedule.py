"""Trap: the learning rate comes from `RATES.pop(0)`, a module-level schedule consumed one
rate per step; `pop` is used as a value, not as a statement of its own. Traced once in a
scan step, every step would get the first rate."""
import jax
import jax.numpy as jnp

RATES = []


def next_rate():
    return RATES.pop(0)


@jax.jit
def fit(w, xs: jax.Array):
    RATES[:] = [0.5, 0.4, 0.3, 0.2, 0.1, 0.05, 0.02]
    for x in xs:
        w = w - next_rate() * (w - x)
    return w


# --- hand-written lax rewrite -------------------------------------------------------------

@jax.jit
def fit_lax(w, xs):
    rates = jnp.array([0.5, 0.4, 0.3, 0.2, 0.1, 0.05, 0.02])[:xs.shape[0]]
    w, _ = jax.lax.scan(lambda w, xr: (w - xr[1] * (w - xr[0]), None), w, (xs, rates))
    return w


def _args(T):
    k1, k2 = jax.random.split(jax.random.key(41))
    return jax.random.normal(k1, (4,)), jax.random.normal(k2, (T, 4))


CASE = dict(entry="fit", rewrite="fit_lax", args=_args, hazard="effects/mutates-global",
            expect="refuse", primitive="scan")
