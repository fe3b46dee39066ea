"""Trap: a str grows by one character per step (`label = label + "x"`) and its length is
returned: a str carry is not a JAX type."""
import jax
import jax.numpy as jnp


@jax.jit
def tagged(h, xs: jax.Array):
    label = ""
    for x in xs:
        h = jnp.tanh(h + x)
        label = label + "x"
    return h, len(label)


# --- hand-written lax rewrite -------------------------------------------------------------

@jax.jit
def tagged_lax(h, xs):
    h, _ = jax.lax.scan(lambda h, x: (jnp.tanh(h + x), None), h, xs)
    return h, xs.shape[0]


def _args(T):
    k1, k2 = jax.random.split(jax.random.key(97))
    return jax.random.normal(k1, (4,)), jax.random.normal(k2, (T, 4))


CASE = dict(entry="tagged", rewrite="tagged_lax", args=_args, hazard="carries/python-str",
            expect="refuse", primitive="scan",
            unsafe_raise_note={"not a valid JAX type": ("str", "string")},
            XFAIL_SAFE=("WRONG-safe-raises after `rewrite as jax.lax.scan carrying h, "
                        "label`: candidate raises TypeError: Argument '' of type <class "
                        "'str'> is not a valid JAX type"),
            XFAIL_UNSAFE=("WRONG-safe-raises after `rewrite as jax.lax.scan carrying h, "
                          "label`: candidate raises TypeError: Argument '' of type <class "
                          "'str'> is not a valid JAX type"))
