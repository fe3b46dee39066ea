"""Trap: `scale = scale * 997` in Python ints, read through `scale % 1000`: exact in Python,
wraps as a traced int32 after four steps and gives other weights, silently."""
import jax
import jax.numpy as jnp


@jax.jit
def hashed(xs: jax.Array):
    scale = 1
    acc = jnp.zeros(4)
    for x in xs:
        scale = scale * 997
        acc = acc + x * (scale % 1000) / 1000
    return acc


# --- hand-written lax rewrite -------------------------------------------------------------

@jax.jit
def hashed_lax(xs):
    def step(carry, x):
        acc, s = carry
        s = s * 997 % 1000          # (scale * 997) % 1000 from scale % 1000: stays small
        return (acc + x * s / 1000, s), None

    (acc, _), _ = jax.lax.scan(step, (jnp.zeros(4), 1), xs)
    return acc


def _args(T):
    return (jax.random.normal(jax.random.key(60), (T, 4)),)


CASE = dict(entry="hashed", rewrite="hashed_lax", args=_args, hazard="carries/int-overflow",
            expect="refuse", primitive="scan", trip_counts=(2, 6),
            XFAIL_UNSAFE=("WRONG-unsafe-silent after `rewrite as jax.lax.scan carrying "
                          "scale, acc`: values: out: values differ"))
