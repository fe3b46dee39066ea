"""Trap: a Python list of three arrays as a sliding window, shifted each step
(`window = window[1:] + [x]`). Its length never changes, so a scan can carry it as a pytree;
a tool must prove that rather than assume it."""
import jax
import jax.numpy as jnp


@jax.jit
def fir(xs: jax.Array):
    window = [jnp.zeros(4), jnp.zeros(4), jnp.zeros(4)]
    y = jnp.zeros(4)
    for x in xs:
        window = window[1:] + [x]
        y = y + 0.5 * window[2] + 0.3 * window[1] + 0.2 * window[0]
    return y


# --- hand-written lax rewrite -------------------------------------------------------------

@jax.jit
def fir_lax(xs):
    def step(carry, x):
        w0, w1, y = carry
        return (w1, x, y + 0.5 * x + 0.3 * w1 + 0.2 * w0), None

    zero = jnp.zeros(4)
    (_, _, y), _ = jax.lax.scan(step, (zero, zero, zero), xs)
    return y


def _args(T):
    return (jax.random.normal(jax.random.key(48), (T, 4)),)


CASE = dict(entry="fir", rewrite="fir_lax", args=_args, hazard="carries/python-list",
            expect="refuse", primitive="scan",
            unsafe_raise_note={"pytree structure": ("list", "structure")})
