"""Trap: the Python bool `use_a` alternates the recurrent matrix (`use_a = not use_a`).
As a carry it is traced, and both `if use_a:` and `not use_a` need a Python bool."""
import jax
import jax.numpy as jnp


@jax.jit
def alternate(A, B, h, xs: jax.Array):
    use_a = True
    for x in xs:
        if use_a:
            h = jnp.tanh(A @ h + x)
        else:
            h = jnp.tanh(B @ h + x)
        use_a = not use_a
    return h


# --- hand-written lax rewrite -------------------------------------------------------------

@jax.jit
def alternate_lax(A, B, h, xs):
    def step(h, ix):
        i, x = ix
        M = jnp.where(i % 2 == 0, A, B)
        return jnp.tanh(M @ h + x), None

    h, _ = jax.lax.scan(step, h, (jnp.arange(xs.shape[0]), xs))
    return h


def _args(T):
    k1, k2, k3, k4 = jax.random.split(jax.random.key(41), 4)
    return (jax.random.normal(k1, (4, 4)) / 3, jax.random.normal(k2, (4, 4)) / 3,
            jax.random.normal(k3, (4,)), jax.random.normal(k4, (T, 4)))


CASE = dict(entry="alternate", rewrite="alternate_lax", args=_args,
            hazard="carries/python-bool", expect="refuse", primitive="scan",
            unsafe_raise_note={"TracerBoolConversion": "bool"},
            XFAIL_SAFE=("WRONG-safe-raises after `rewrite as jax.lax.scan carrying h, "
                        "use_a`: candidate raises TracerBoolConversionError: Attempted "
                        "boolean conversion of traced array with shape bool[]."),
            XFAIL_UNSAFE=("WRONG-safe-raises after `rewrite as jax.lax.scan carrying h, "
                          "use_a`: candidate raises TracerBoolConversionError: Attempted "
                          "boolean conversion of traced array with shape bool[]."))
