"""Trap: the state is a tuple `(h, t)` whose second part is a Python int step counter that
drives a Python `if`: hidden inside the tuple, the int still becomes traced."""
import jax
import jax.numpy as jnp


@jax.jit
def run(W, h, xs: jax.Array):
    state = (h, 0)
    for x in xs:
        h, t = state
        if t == 0:
            h = jnp.tanh(x)
        else:
            h = jnp.tanh(W @ h + x)
        state = (h, t + 1)
    return state[0]


# --- hand-written lax rewrite -------------------------------------------------------------

@jax.jit
def run_lax(W, h, xs):
    h, _ = jax.lax.scan(lambda h, x: (jnp.tanh(W @ h + x), None), jnp.tanh(xs[0]), xs[1:])
    return h


def _args(T):
    k1, k2, k3 = jax.random.split(jax.random.key(67), 3)
    return (jax.random.normal(k1, (4, 4)) / 3, jax.random.normal(k2, (4,)),
            jax.random.normal(k3, (T, 4)))


CASE = dict(entry="run", rewrite="run_lax", args=_args, hazard="carries/tuple-state",
            expect="refuse", primitive="scan",
            unsafe_raise_note={"Concretization": ("static", "Python int"),
                               "TracerIntegerConversion": ("static", "Python int"),
                               "TracerBoolConversion": ("static", "Python int"),
                               "Slice entries": ("static", "Python int")},
            XFAIL_SAFE=("WRONG-safe-raises after `rewrite as jax.lax.scan carrying state`: "
                        "candidate raises TracerBoolConversionError: Attempted boolean "
                        "conversion of traced array with shape bool[]."),
            XFAIL_UNSAFE=("WRONG-safe-raises after `rewrite as jax.lax.scan carrying "
                          "state`: candidate raises TracerBoolConversionError: Attempted "
                          "boolean conversion of traced array with shape bool[]."))
