"""Trap: `started` is a Python bool read by a conditional expression
(`x if not started else ...`): as a traced carry the expression raises."""
import jax
import jax.numpy as jnp


@jax.jit
def leaky(xs: jax.Array):
    started = False
    h = jnp.zeros(4)
    for x in xs:
        h = x if not started else 0.5 * h + x
        started = True
    return h


# --- hand-written lax rewrite -------------------------------------------------------------

@jax.jit
def leaky_lax(xs):
    h, _ = jax.lax.scan(lambda h, x: (0.5 * h + x, None), xs[0], xs[1:])
    return h


def _args(T):
    return (jax.random.normal(jax.random.key(42), (T, 4)),)


CASE = dict(entry="leaky", rewrite="leaky_lax", args=_args, hazard="carries/python-bool",
            expect="refuse", primitive="scan",
            unsafe_raise_note={"TracerBoolConversion": "bool"},
            XFAIL_SAFE=("WRONG-safe-raises after `rewrite as jax.lax.scan carrying h, "
                        "started`: candidate raises TracerBoolConversionError: Attempted "
                        "boolean conversion of traced array with shape bool[]."),
            XFAIL_UNSAFE=("WRONG-safe-raises after `rewrite as jax.lax.scan carrying h, "
                          "started`: candidate raises TracerBoolConversionError: Attempted "
                          "boolean conversion of traced array with shape bool[]."))
