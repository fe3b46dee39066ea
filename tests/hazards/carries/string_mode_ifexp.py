"""Trap: `mode` switches from "sum" to "max" after the first step and picks the pooling in a
conditional expression; a str carry is not a JAX type."""
import jax
import jax.numpy as jnp


@jax.jit
def pool(xs: jax.Array):
    mode = "sum"
    acc = jnp.zeros(4)
    for x in xs:
        acc = acc + x if mode == "sum" else jnp.maximum(acc, x)
        mode = "max"
    return acc


# --- hand-written lax rewrite -------------------------------------------------------------

@jax.jit
def pool_lax(xs):
    acc, _ = jax.lax.scan(lambda acc, x: (jnp.maximum(acc, x), None), jnp.zeros(4) + xs[0], xs[1:])
    return acc


def _args(T):
    return (jax.random.normal(jax.random.key(46), (T, 4)),)


CASE = dict(entry="pool", rewrite="pool_lax", args=_args, hazard="carries/python-str",
            expect="refuse", primitive="scan",
            unsafe_raise_note={"not a valid JAX type": ("str", "string")},
            XFAIL_SAFE=("WRONG-safe-raises after `rewrite as jax.lax.scan carrying acc, "
                        "mode`: candidate raises TypeError: Argument 'sum' of type <class "
                        "'str'> is not a valid JAX type"),
            XFAIL_UNSAFE=("WRONG-safe-raises after `rewrite as jax.lax.scan carrying acc, "
                          "mode`: candidate raises TypeError: Argument 'sum' of type <class"
                          " 'str'> is not a valid JAX type"))
