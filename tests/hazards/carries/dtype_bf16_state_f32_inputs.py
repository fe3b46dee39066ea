"""Trap: a bfloat16 state mixed with float32 inputs: after one step `h` is float32. Python
does not care; a scan carry keeps one dtype (TypeError)."""
import jax
import jax.numpy as jnp


@jax.jit
def mixed(xs: jax.Array):
    h = jnp.zeros(4, jnp.bfloat16)
    for x in xs:
        h = h * 0.5 + x
    return h


# --- hand-written lax rewrite -------------------------------------------------------------

@jax.jit
def mixed_lax(xs):
    h0 = jnp.zeros(4, jnp.bfloat16) * 0.5 + xs[0]
    h, _ = jax.lax.scan(lambda h, x: (h * 0.5 + x, None), h0, xs[1:])
    return h


def _args(T):
    return (jax.random.normal(jax.random.key(76), (T, 4)),)


CASE = dict(entry="mixed", rewrite="mixed_lax", args=_args, hazard="carries/dtype-change",
            expect="refuse", primitive="scan",
            unsafe_raise_note={"carry output must have equal types": "dtype"},
            XFAIL_SAFE=("WRONG-safe-raises after `rewrite as jax.lax.scan carrying h`: "
                        "candidate raises TypeError: scan body function carry input and "
                        "carry output must have equal types, but they differ:"),
            XFAIL_UNSAFE=("WRONG-safe-raises after `rewrite as jax.lax.scan carrying h`: "
                          "candidate raises TypeError: scan body function carry input and "
                          "carry output must have equal types, but they differ:"))
