"""Trap: a one-line body with two statements joined by `;`
(`for x in xs: h = jnp.tanh(W @ h + x); total = total + jnp.sum(h)`)."""
import jax
import jax.numpy as jnp


@jax.jit
def encode(W, h, xs: jax.Array):
    total = jnp.zeros(())
    for x in xs: h = jnp.tanh(W @ h + x); total = total + jnp.sum(h)
    return h, total


# --- hand-written lax rewrite -------------------------------------------------------------

@jax.jit
def encode_lax(W, h, xs):
    def step(carry, x):
        h, total = carry
        h = jnp.tanh(W @ h + x)
        return (h, total + jnp.sum(h)), None

    (h, total), _ = jax.lax.scan(step, (h, jnp.zeros(())), xs)
    return h, total


def _args(T):
    k1, k2, k3 = jax.random.split(jax.random.key(142), 3)
    return (jax.random.normal(k1, (4, 4)) / 3, jax.random.normal(k2, (4,)),
            jax.random.normal(k3, (T, 4)))


CASE = dict(entry="encode", rewrite="encode_lax", args=_args, hazard="internal/odd-syntax",
            expect="safe", primitive="scan")
