"""Trap: a buffer grown with `jnp.pad` and filled at its new last row: its shape grows by one
row per step."""
import jax
import jax.numpy as jnp


@jax.jit
def collect(xs: jax.Array):
    buf = jnp.zeros((1, 4))
    for x in xs:
        buf = jnp.pad(buf, ((0, 1), (0, 0)))
        buf = buf.at[-1].set(jnp.tanh(x))
    return buf


# --- hand-written lax rewrite -------------------------------------------------------------

@jax.jit
def collect_lax(xs):
    _, rows = jax.lax.scan(lambda c, x: (c, jnp.tanh(x)), 0, xs)
    return jnp.concatenate([jnp.zeros((1, 4)), rows])


def _args(T):
    return (jax.random.normal(jax.random.key(72), (T, 4)),)


CASE = dict(entry="collect", rewrite="collect_lax", args=_args, hazard="carries/shape-change",
            expect="refuse", primitive="scan",
            unsafe_raise_note={"carry output must have equal types": "shape"},
            XFAIL_SAFE=("WRONG-safe-raises after `rewrite as jax.lax.scan carrying buf`: "
                        "candidate raises TypeError: scan body function carry input and "
                        "carry output must have equal types, but they differ:"),
            XFAIL_UNSAFE=("WRONG-safe-raises after `rewrite as jax.lax.scan carrying buf`: "
                          "candidate raises TypeError: scan body function carry input and "
                          "carry output must have equal types, but they differ:"))
