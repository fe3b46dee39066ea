"""Trap: `track` stores into the dict it is handed (`stats["n"] += 1`, `stats["peak"] = ...`).
In a scan step it runs once: the count says 1 and the peak is a tracer of the step."""
import jax
import jax.numpy as jnp


def track(stats, v):
    stats["n"] += 1
    stats["peak"] = jnp.maximum(stats["peak"], jnp.max(v))
    return v


@jax.jit
def rollout(W, h, xs: jax.Array):
    stats = {"n": 0, "peak": jnp.float32(-1e9)}
    for x in xs:
        h = track(stats, jnp.tanh(W @ h + x))
    return h, stats["peak"], stats["n"]


# --- hand-written lax rewrite -------------------------------------------------------------

@jax.jit
def rollout_lax(W, h, xs):
    def step(carry, x):
        h, peak = carry
        h = jnp.tanh(W @ h + x)
        return (h, jnp.maximum(peak, jnp.max(h))), None

    (h, peak), _ = jax.lax.scan(step, (h, jnp.float32(-1e9)), xs)
    return h, peak, xs.shape[0]


def _args(T):
    k1, k2, k3 = jax.random.split(jax.random.key(21), 3)
    return (jax.random.normal(k1, (4, 4)) / 3, jax.random.normal(k2, (4,)),
            jax.random.normal(k3, (T, 4)))


CASE = dict(entry="rollout", rewrite="rollout_lax", args=_args,
            hazard="effects/mutates-argument", expect="refuse", primitive="scan",
            unsafe_raise_note={"unexpected tracer": "side effect"})
