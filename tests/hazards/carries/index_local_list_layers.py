"""Trap: the index picks a matrix from a local Python list (`mats[i % 2]`): a traced index
cannot index a list."""
import jax
import jax.numpy as jnp


@jax.jit
def interleaved(A, B, h, xs: jax.Array):
    mats = [A, B]
    for i in range(xs.shape[0]):
        h = jnp.tanh(mats[i % 2] @ h + xs[i])
    return h


# --- hand-written lax rewrite -------------------------------------------------------------

@jax.jit
def interleaved_lax(A, B, h, xs):
    stacked = jnp.stack([A, B])
    h, _ = jax.lax.scan(lambda h, i: (jnp.tanh(stacked[i % 2] @ h + xs[i]), None), h,
                        jnp.arange(xs.shape[0]))
    return h


def _args(T):
    k1, k2, k3, k4 = jax.random.split(jax.random.key(89), 4)
    return (jax.random.normal(k1, (4, 4)) / 3, jax.random.normal(k2, (4, 4)) / 3,
            jax.random.normal(k3, (4,)), jax.random.normal(k4, (T, 4)))


CASE = dict(entry="interleaved", rewrite="interleaved_lax", args=_args,
            hazard="carries/index-python-container", expect="refuse", primitive="scan",
            unsafe_raise_note={"TracerIntegerConversion": ("Python", "index"),
                               "TracerArrayConversion": ("Python", "index"),
                               "unhashable": ("Python", "index"),
                               "indices must be": ("Python", "index")})
