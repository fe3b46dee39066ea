"""Trap: a Python bool `first` peels step 0 (`if first:` starts the average at the first
input). Carried through a scan it becomes a traced bool, and `if first:` raises."""
import jax
import jax.numpy as jnp


@jax.jit
def ema(xs: jax.Array):
    first = True
    m = jnp.zeros(4)
    for x in xs:
        if first:
            m = x
            first = False
        else:
            m = 0.9 * m + 0.1 * x
    return m


# --- hand-written lax rewrite -------------------------------------------------------------

@jax.jit
def ema_lax(xs):
    m, _ = jax.lax.scan(lambda m, x: (0.9 * m + 0.1 * x, None), xs[0], xs[1:])
    return m


def _args(T):
    return (jax.random.normal(jax.random.key(40), (T, 4)),)


CASE = dict(entry="ema", rewrite="ema_lax", args=_args, hazard="carries/python-bool",
            expect="refuse", primitive="scan",
            unsafe_raise_note={"TracerBoolConversion": "bool"},
            XFAIL_SAFE=("WRONG-safe-raises after `rewrite as jax.lax.scan carrying m, "
                        "first`: candidate raises TracerBoolConversionError: Attempted "
                        "boolean conversion of traced array with shape bool[]."),
            XFAIL_UNSAFE=("WRONG-safe-raises after `rewrite as jax.lax.scan carrying m, "
                          "first`: candidate raises TracerBoolConversionError: Attempted "
                          "boolean conversion of traced array with shape bool[]."))
