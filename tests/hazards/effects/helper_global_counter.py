"""Trap: `cell` counts its calls in a module global; the caller normalises by the number of
calls it made. Traced once in a scan step, the count is 1 whatever the length."""
import jax
import jax.numpy as jnp

CALLS = 0


def cell(W, h, x):
    global CALLS
    CALLS += 1
    return jnp.tanh(W @ h + x)


@jax.jit
def mean_state(W, h, xs: jax.Array):
    start = CALLS
    total = jnp.zeros_like(h)
    for x in xs:
        h = cell(W, h, x)
        total = total + h
    return total / (CALLS - start)


# --- hand-written lax rewrite -------------------------------------------------------------

@jax.jit
def mean_state_lax(W, h, xs):
    def step(carry, x):
        h, total = carry
        h = jnp.tanh(W @ h + x)
        return (h, total + h), None

    (_, total), _ = jax.lax.scan(step, (h, jnp.zeros_like(h)), xs)
    return total / xs.shape[0]


def _args(T):
    k1, k2, k3 = jax.random.split(jax.random.key(24), 3)
    return (jax.random.normal(k1, (4, 4)) / 3, jax.random.normal(k2, (4,)),
            jax.random.normal(k3, (T, 4)))


CASE = dict(entry="mean_state", rewrite="mean_state_lax", args=_args,
            hazard="effects/mutates-global", expect="refuse", primitive="scan",
            unsafe_raise_note={"unexpected tracer": "side effect"})
