"""Trap: a tuple state `(m, first)` whose Python bool peels the first step in a conditional
expression."""
import jax
import jax.numpy as jnp


@jax.jit
def ema(xs: jax.Array):
    state = (jnp.zeros(4), True)
    for x in xs:
        m, first = state
        m = x if first else 0.8 * m + 0.2 * x
        state = (m, False)
    return state[0]


# --- hand-written lax rewrite -------------------------------------------------------------

@jax.jit
def ema_lax(xs):
    m, _ = jax.lax.scan(lambda m, x: (0.8 * m + 0.2 * x, None), xs[0], xs[1:])
    return m


def _args(T):
    return (jax.random.normal(jax.random.key(68), (T, 4)),)


CASE = dict(entry="ema", rewrite="ema_lax", args=_args, hazard="carries/tuple-state",
            expect="refuse", primitive="scan",
            unsafe_raise_note={"TracerBoolConversion": "bool"},
            XFAIL_SAFE=("WRONG-safe-raises after `rewrite as jax.lax.scan carrying state`: "
                        "candidate raises TracerBoolConversionError: Attempted boolean "
                        "conversion of traced array with shape bool[]."),
            XFAIL_UNSAFE=("WRONG-safe-raises after `rewrite as jax.lax.scan carrying "
                          "state`: candidate raises TracerBoolConversionError: Attempted "
                          "boolean conversion of traced array with shape bool[]."))
