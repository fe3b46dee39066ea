"""Trap: `position(i, cache={})` memoises per-position encodings in a mutable default dict
keyed by the Python int `i`. A traced index cannot be a dict key (unhashable), and the cache
store is an effect of its own."""
import jax
import jax.numpy as jnp


def position(i, cache={}):  # noqa: B006 - the hazard
    if i not in cache:
        cache[i] = jnp.sin(jnp.arange(4.0) * (i + 1) / 4.0)
    return cache[i]


@jax.jit
def encode(xs: jax.Array):
    h = jnp.zeros(4)
    for i in range(xs.shape[0]):
        h = jnp.tanh(h + xs[i] + position(i))
    return h


# --- hand-written lax rewrite -------------------------------------------------------------

@jax.jit
def encode_lax(xs):
    def step(h, i):
        return jnp.tanh(h + xs[i] + jnp.sin(jnp.arange(4.0) * (i + 1) / 4.0)), None

    h, _ = jax.lax.scan(step, jnp.zeros(4), jnp.arange(xs.shape[0]))
    return h


def _args(T):
    return (jax.random.normal(jax.random.key(26), (T, 4)),)


CASE = dict(entry="encode", rewrite="encode_lax", args=_args, hazard="effects/mutable-default",
            expect="refuse", primitive="scan",
            unsafe_raise_note={"unexpected tracer": "side effect"})
