"""Trap: the Python int `k` grows each step and is a slice bound (`x[:k]`): each step reads a
longer prefix. A traced `k` cannot bound a slice."""
import jax
import jax.numpy as jnp


@jax.jit
def prefix_energy(xs: jax.Array):
    k = 1
    acc = jnp.zeros(())
    for x in xs:
        acc = acc + jnp.sum(x[:k] ** 2)
        k += 1
    return acc


# --- hand-written lax rewrite -------------------------------------------------------------

@jax.jit
def prefix_energy_lax(xs):
    def step(acc, kx):
        k, x = kx
        mask = jnp.arange(x.shape[0]) < k
        return acc + jnp.sum(jnp.where(mask, x ** 2, 0.0)), None

    acc, _ = jax.lax.scan(step, jnp.zeros(()), (jnp.arange(1, xs.shape[0] + 1), xs))
    return acc


def _args(T):
    return (jax.random.normal(jax.random.key(56), (T, 4)),)


CASE = dict(entry="prefix_energy", rewrite="prefix_energy_lax", args=_args,
            hazard="carries/python-int", expect="refuse", primitive="scan",
            unsafe_raise_note={"Concretization": ("static", "Python int"),
                               "TracerIntegerConversion": ("static", "Python int"),
                               "TracerBoolConversion": ("static", "Python int"),
                               "Slice entries": ("static", "Python int")},
            XFAIL_UNSAFE=("WRONG-unsafe-unnamed after `rewrite as jax.lax.scan carrying "
                          "acc, k`: candidate raises IndexError: Slice entries must be "
                          "static integers. Got slice(None, JitTracer(~int32[]), None) at "
                          "position 0"))
