"""Trap: the loss total is a `nonlocal` of a small `add` closure called in the body: the
state lives outside the loop's names, so a scan step would update it once with a tracer."""
import jax
import jax.numpy as jnp


@jax.jit
def loss(W, h, xs: jax.Array):
    total = jnp.zeros(())

    def add(v):
        nonlocal total
        total = total + jnp.sum(v ** 2)

    for x in xs:
        h = jnp.tanh(W @ h + x)
        add(h)
    return total


# --- hand-written lax rewrite -------------------------------------------------------------

@jax.jit
def loss_lax(W, h, xs):
    def step(carry, x):
        h, total = carry
        h = jnp.tanh(W @ h + x)
        return (h, total + jnp.sum(h ** 2)), None

    (_, total), _ = jax.lax.scan(step, (h, jnp.zeros(())), xs)
    return total


def _args(T):
    k1, k2, k3 = jax.random.split(jax.random.key(65), 3)
    return (jax.random.normal(k1, (4, 4)) / 3, jax.random.normal(k2, (4,)),
            jax.random.normal(k3, (T, 4)))


CASE = dict(entry="loss", rewrite="loss_lax", args=_args, hazard="carries/global-nonlocal",
            expect="refuse", primitive="scan",
            unsafe_raise_note={"unexpected tracer": "side effect"})
