"""Trap: `prev` starts as None and becomes the previous input: the carry's structure changes
in the first step (None -> array)."""
import jax
import jax.numpy as jnp


@jax.jit
def roughness(xs: jax.Array):
    prev = None
    acc = jnp.zeros(())
    for x in xs:
        d = x if prev is None else x - prev
        acc = acc + jnp.sum(d * d)
        prev = x
    return acc


# --- hand-written lax rewrite -------------------------------------------------------------

@jax.jit
def roughness_lax(xs):
    def step(carry, x):
        prev, acc = carry
        d = x - prev
        return (x, acc + jnp.sum(d * d)), None

    (_, acc), _ = jax.lax.scan(step, (xs[0], jnp.sum(xs[0] * xs[0])), xs[1:])
    return acc


def _args(T):
    return (jax.random.normal(jax.random.key(51), (T, 4)),)


CASE = dict(entry="roughness", rewrite="roughness_lax", args=_args, hazard="carries/none",
            expect="refuse", primitive="scan",
            unsafe_raise_note={"pytree structure": "None"})
