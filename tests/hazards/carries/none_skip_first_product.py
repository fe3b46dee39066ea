"""Trap: `last = None` guards the first step (`if last is not None:`), then holds the previous
input: a carry that is None on entry."""
import jax
import jax.numpy as jnp


@jax.jit
def autocorrelation(xs: jax.Array):
    last = None
    acc = jnp.zeros(())
    for x in xs:
        if last is not None:
            acc = acc + jnp.dot(last, x)
        last = x
    return acc


# --- hand-written lax rewrite -------------------------------------------------------------

@jax.jit
def autocorrelation_lax(xs):
    def step(carry, x):
        last, acc = carry
        return (x, acc + jnp.dot(last, x)), None

    (_, acc), _ = jax.lax.scan(step, (xs[0], jnp.zeros(())), xs[1:])
    return acc


def _args(T):
    return (jax.random.normal(jax.random.key(99), (T, 4)),)


CASE = dict(entry="autocorrelation", rewrite="autocorrelation_lax", args=_args,
            hazard="carries/none", expect="refuse", primitive="scan",
            unsafe_raise_note={"pytree structure": "None"})
