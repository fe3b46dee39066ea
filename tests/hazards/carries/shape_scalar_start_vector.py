"""Trap: `total = 0.0` then `total = total + x` with `x` a vector: a Python scalar start
that becomes an array of another shape after one step."""
import jax


@jax.jit
def summed(xs: jax.Array):
    total = 0.0
    for x in xs:
        total = total + x
    return total


# --- hand-written lax rewrite -------------------------------------------------------------

@jax.jit
def summed_lax(xs):
    total, _ = jax.lax.scan(lambda t, x: (t + x, None), 0.0 + xs[0], xs[1:])
    return total


def _args(T):
    return (jax.random.normal(jax.random.key(75), (T, 4)),)


CASE = dict(entry="summed", rewrite="summed_lax", args=_args, hazard="carries/shape-change",
            expect="refuse", primitive="scan",
            unsafe_raise_note={"carry output must have equal types": "shape"})
