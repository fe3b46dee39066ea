"""Trap: the Python int `n` counts the steps and is then a static size
(`jnp.linspace(..., num=n)`). Carried through a scan it is traced, and `num=n` raises."""
import jax
import jax.numpy as jnp


@jax.jit
def profile(h, xs: jax.Array):
    n = 0
    for x in xs:
        h = 0.5 * h + x
        n += 1
    return jnp.sum(h) * jnp.linspace(0.0, 1.0, num=n)


# --- hand-written lax rewrite -------------------------------------------------------------

@jax.jit
def profile_lax(h, xs):
    h, _ = jax.lax.scan(lambda h, x: (0.5 * h + x, None), h, xs)
    return jnp.sum(h) * jnp.linspace(0.0, 1.0, num=xs.shape[0])


def _args(T):
    k1, k2 = jax.random.split(jax.random.key(54))
    return jax.random.normal(k1, (4,)), jax.random.normal(k2, (T, 4))


CASE = dict(entry="profile", rewrite="profile_lax", args=_args, hazard="carries/python-int",
            expect="refuse", primitive="scan",
            unsafe_raise_note={"Concretization": ("static", "Python int"),
                               "TracerIntegerConversion": ("static", "Python int"),
                               "TracerBoolConversion": ("static", "Python int"),
                               "Slice entries": ("static", "Python int")},
            XFAIL_UNSAFE=("WRONG-unsafe-unnamed after `rewrite as jax.lax.scan carrying h, "
                          "n`: candidate raises ConcretizationTypeError: Abstract tracer "
                          "value encountered where concrete value is expected: traced array"
                          " with shape int32[]"))
