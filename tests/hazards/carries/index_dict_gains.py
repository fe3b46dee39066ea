"""Trap: the index is a key of a module-level dict (`GAIN[t]`): a tracer is unhashable."""
import jax
import jax.numpy as jnp

GAIN = {0: 1.0, 1: 0.5, 2: 0.25, 3: 0.125, 4: 0.0625, 5: 0.03125}


@jax.jit
def attenuate(h, xs: jax.Array):
    for t in range(xs.shape[0]):
        h = h + GAIN[t] * xs[t]
    return h


# --- hand-written lax rewrite -------------------------------------------------------------

@jax.jit
def attenuate_lax(h, xs):
    gains = jnp.asarray([GAIN[t] for t in range(xs.shape[0])], jnp.float32)
    h, _ = jax.lax.scan(lambda h, gx: (h + gx[0] * gx[1], None), h, (gains, xs))
    return h


def _args(T):
    k1, k2 = jax.random.split(jax.random.key(90))
    return jax.random.normal(k1, (4,)), jax.random.normal(k2, (T, 4))


CASE = dict(entry="attenuate", rewrite="attenuate_lax", args=_args,
            hazard="carries/index-python-container", expect="refuse", primitive="scan",
            unsafe_raise_note={"TracerIntegerConversion": ("dict", "index"),
                               "TracerArrayConversion": ("dict", "index"),
                               "unhashable": ("dict", "index"),
                               "indices must be": ("dict", "index")},
            XFAIL_SAFE=("WRONG-safe-raises after `rewrite as jax.lax.fori_loop carrying h`:"
                        " candidate raises TypeError: unhashable type: 'DynamicJaxprTracer'"),
            XFAIL_UNSAFE=("WRONG-safe-raises after `rewrite as jax.lax.fori_loop carrying "
                          "h`: candidate raises TypeError: unhashable type: "
                          "'DynamicJaxprTracer'"))
