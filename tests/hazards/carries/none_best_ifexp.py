"""Trap: `best = None`, then `best = x if best is None else jnp.maximum(best, x)`: None on
entry, an array after one step."""
import jax
import jax.numpy as jnp


@jax.jit
def running_max(xs: jax.Array):
    best = None
    for x in xs:
        best = x if best is None else jnp.maximum(best, x)
    return best


# --- hand-written lax rewrite -------------------------------------------------------------

@jax.jit
def running_max_lax(xs):
    best, _ = jax.lax.scan(lambda b, x: (jnp.maximum(b, x), None), xs[0], xs[1:])
    return best


def _args(T):
    return (jax.random.normal(jax.random.key(52), (T, 4)),)


CASE = dict(entry="running_max", rewrite="running_max_lax", args=_args, hazard="carries/none",
            expect="refuse", primitive="scan",
            unsafe_raise_note={"pytree structure": "None"})
