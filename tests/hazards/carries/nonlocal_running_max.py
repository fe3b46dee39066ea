"""Trap: the best score so far is a `nonlocal` of a small `observe` closure called in the body:
in a scan step it is updated once, with a tracer of the step."""
import jax
import jax.numpy as jnp


@jax.jit
def best_score(W, h, xs: jax.Array):
    best = jnp.float32(-1e9)

    def observe(v):
        nonlocal best
        best = jnp.maximum(best, jnp.max(v))

    for x in xs:
        h = jnp.tanh(W @ h + x)
        observe(h)
    return best


# --- hand-written lax rewrite -------------------------------------------------------------

@jax.jit
def best_score_lax(W, h, xs):
    def step(carry, x):
        h, best = carry
        h = jnp.tanh(W @ h + x)
        return (h, jnp.maximum(best, jnp.max(h))), None

    (_, best), _ = jax.lax.scan(step, (h, jnp.float32(-1e9)), xs)
    return best


def _args(T):
    k1, k2, k3 = jax.random.split(jax.random.key(103), 3)
    return (jax.random.normal(k1, (4, 4)) / 3, jax.random.normal(k2, (4,)),
            jax.random.normal(k3, (T, 4)))


CASE = dict(entry="best_score", rewrite="best_score_lax", args=_args,
            hazard="carries/global-nonlocal", expect="refuse", primitive="scan",
            unsafe_raise_note={"unexpected tracer": "side effect"})
