"""Trap: the index reads a module-level Python list (`DECAYS[i]`): a traced index cannot
index a list (TypeError)."""
import jax
import jax.numpy as jnp

DECAYS = [0.9, 0.8, 0.7, 0.6, 0.5, 0.4, 0.3, 0.2]


@jax.jit
def decayed(h, xs: jax.Array):
    for i in range(xs.shape[0]):
        h = h * DECAYS[i] + xs[i]
    return h


# --- hand-written lax rewrite -------------------------------------------------------------

@jax.jit
def decayed_lax(h, xs):
    decays = jnp.asarray(DECAYS[:xs.shape[0]], jnp.float32)
    h, _ = jax.lax.scan(lambda h, dx: (h * dx[0] + dx[1], None), h, (decays, xs))
    return h


def _args(T):
    k1, k2 = jax.random.split(jax.random.key(86))
    return jax.random.normal(k1, (4,)), jax.random.normal(k2, (T, 4))


CASE = dict(entry="decayed", rewrite="decayed_lax", args=_args,
            hazard="carries/index-python-container", expect="refuse", primitive="scan",
            unsafe_raise_note={"TracerIntegerConversion": ("Python", "index"),
                               "TracerArrayConversion": ("Python", "index"),
                               "unhashable": ("Python", "index"),
                               "indices must be": ("Python", "index")},
            XFAIL_SAFE=("WRONG-safe-raises after `rewrite as jax.lax.fori_loop carrying h`:"
                        " candidate raises TracerIntegerConversionError: The __index__() "
                        "method was called on traced array with shape int32[]"),
            XFAIL_UNSAFE=("WRONG-safe-raises after `rewrite as jax.lax.fori_loop carrying "
                          "h`: candidate raises TracerIntegerConversionError: The "
                          "__index__() method was called on traced array with shape int32[]"))
