"""Trap: an FIR filter keeps its taps in a Python list updated in place (`taps.insert(0, x)`,
`taps.pop()`): a mutated outer list, not a value a scan could carry."""
import jax
import jax.numpy as jnp


@jax.jit
def filt(xs: jax.Array):
    taps = [jnp.zeros(4), jnp.zeros(4)]
    y = jnp.zeros(4)
    for x in xs:
        taps.insert(0, x)
        taps.pop()
        y = 0.7 * y + 0.2 * taps[0] + 0.1 * taps[1]
    return y


# --- hand-written lax rewrite -------------------------------------------------------------

@jax.jit
def filt_lax(xs):
    def step(carry, x):
        t1, y = carry
        return (x, 0.7 * y + 0.2 * x + 0.1 * t1), None

    (_, y), _ = jax.lax.scan(step, (jnp.zeros(4), jnp.zeros(4)), xs)
    return y


def _args(T):
    return (jax.random.normal(jax.random.key(50), (T, 4)),)


CASE = dict(entry="filt", rewrite="filt_lax", args=_args, hazard="carries/python-list",
            expect="refuse", primitive="scan",
            unsafe_raise_note={"pytree structure": ("list", "structure")})
