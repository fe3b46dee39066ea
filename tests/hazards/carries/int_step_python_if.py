"""Trap: the Python int `t` drives a Python `if` (`if t % 2 == 0:`): traced, the test
raises TracerBoolConversionError."""
import jax
import jax.numpy as jnp


@jax.jit
def leapfrog(h, xs: jax.Array):
    t = 0
    for x in xs:
        if t % 2 == 0:
            h = h + x
        else:
            h = h * 0.5
        t += 1
    return h


# --- hand-written lax rewrite -------------------------------------------------------------

@jax.jit
def leapfrog_lax(h, xs):
    def step(h, tx):
        t, x = tx
        return jnp.where(t % 2 == 0, h + x, h * 0.5), None

    h, _ = jax.lax.scan(step, h, (jnp.arange(xs.shape[0]), xs))
    return h


def _args(T):
    k1, k2 = jax.random.split(jax.random.key(55))
    return jax.random.normal(k1, (4,)), jax.random.normal(k2, (T, 4))


CASE = dict(entry="leapfrog", rewrite="leapfrog_lax", args=_args, hazard="carries/python-int",
            expect="refuse", primitive="scan",
            unsafe_raise_note={"Concretization": ("static", "Python int"),
                               "TracerIntegerConversion": ("static", "Python int"),
                               "TracerBoolConversion": ("static", "Python int"),
                               "Slice entries": ("static", "Python int")},
            XFAIL_UNSAFE=("WRONG-unsafe-unnamed after `rewrite as jax.lax.scan carrying h, "
                          "t`: candidate raises TracerBoolConversionError: Attempted "
                          "boolean conversion of traced array with shape bool[]."))
