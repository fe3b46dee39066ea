"""Trap: the index reads a module-level numpy table (`GAINS[t]`): numpy cannot index with a
tracer (TracerIntegerConversionError)."""
import jax
import jax.numpy as jnp
import numpy as np

GAINS = np.linspace(1.0, 0.3, 8).astype(np.float32)


@jax.jit
def scheduled(h, xs: jax.Array):
    for t in range(xs.shape[0]):
        h = jnp.tanh(GAINS[t] * h + xs[t])
    return h


# --- hand-written lax rewrite -------------------------------------------------------------

@jax.jit
def scheduled_lax(h, xs):
    gains = jnp.asarray(GAINS)
    h, _ = jax.lax.scan(lambda h, t: (jnp.tanh(gains[t] * h + xs[t]), None), h,
                        jnp.arange(xs.shape[0]))
    return h


def _args(T):
    k1, k2 = jax.random.split(jax.random.key(87))
    return jax.random.normal(k1, (4,)), jax.random.normal(k2, (T, 4))


CASE = dict(entry="scheduled", rewrite="scheduled_lax", args=_args,
            hazard="carries/index-python-container", expect="refuse", primitive="scan",
            unsafe_raise_note={"TracerIntegerConversion": ("numpy", "index"),
                               "TracerArrayConversion": ("numpy", "index"),
                               "unhashable": ("numpy", "index"),
                               "indices must be": ("numpy", "index")},
            XFAIL_SAFE=("WRONG-safe-raises after `rewrite as jax.lax.fori_loop carrying h`:"
                        " candidate raises TracerArrayConversionError: The numpy.ndarray "
                        "conversion method __array__() was called on traced array with "
                        "shape int32[]"),
            XFAIL_UNSAFE=("WRONG-safe-raises after `rewrite as jax.lax.fori_loop carrying "
                          "h`: candidate raises TracerArrayConversionError: The "
                          "numpy.ndarray conversion method __array__() was called on traced"
                          " array with shape int32[]"))
