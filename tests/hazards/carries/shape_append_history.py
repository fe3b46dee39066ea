"""Trap: the history of states is grown with `jnp.append(hist, h[None], axis=0)`."""
import jax
import jax.numpy as jnp


@jax.jit
def trajectory(W, h, xs: jax.Array):
    hist = h[None]
    for x in xs:
        h = jnp.tanh(W @ h + x)
        hist = jnp.append(hist, h[None], axis=0)
    return hist


# --- hand-written lax rewrite -------------------------------------------------------------

@jax.jit
def trajectory_lax(W, h, xs):
    def step(h, x):
        h = jnp.tanh(W @ h + x)
        return h, h

    _, hs = jax.lax.scan(step, h, xs)
    return jnp.concatenate([h[None], hs])


def _args(T):
    k1, k2, k3 = jax.random.split(jax.random.key(73), 3)
    return (jax.random.normal(k1, (4, 4)) / 3, jax.random.normal(k2, (4,)),
            jax.random.normal(k3, (T, 4)))


CASE = dict(entry="trajectory", rewrite="trajectory_lax", args=_args,
            hazard="carries/shape-change", expect="refuse", primitive="scan",
            unsafe_raise_note={"carry output must have equal types": "shape"})
