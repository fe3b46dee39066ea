"""Trap: a Python list as a sliding window that starts empty and grows to three entries
(`window = (window + [x])[-3:]`): the carry's structure changes in the first steps."""
import jax
import jax.numpy as jnp


@jax.jit
def moving_average(xs: jax.Array):
    window = []
    total = jnp.zeros(4)
    for x in xs:
        window = (window + [x])[-3:]
        total = total + jnp.mean(jnp.stack(window), axis=0)
    return total


# --- hand-written lax rewrite -------------------------------------------------------------

@jax.jit
def moving_average_lax(xs):
    def step(carry, ix):
        prev1, prev2, total = carry
        i, x = ix
        n = jnp.minimum(i + 1, 3)
        s = x + jnp.where(i >= 1, prev1, 0.0) + jnp.where(i >= 2, prev2, 0.0)
        return (x, prev1, total + s / n), None

    zero = jnp.zeros(4)
    (_, _, total), _ = jax.lax.scan(step, (zero, zero, zero), (jnp.arange(xs.shape[0]), xs))
    return total


def _args(T):
    return (jax.random.normal(jax.random.key(47), (T, 4)),)


CASE = dict(entry="moving_average", rewrite="moving_average_lax", args=_args,
            hazard="carries/python-list", expect="refuse", primitive="scan",
            unsafe_raise_note={"pytree structure": ("list", "structure")},
            XFAIL_SAFE=("WRONG-safe-raises after `rewrite as jax.lax.scan carrying window, "
                        "total`: candidate raises TypeError: scan body function carry input"
                        " and carry output must have the same pytree structure, but they "
                        "differ:"),
            XFAIL_UNSAFE=("WRONG-safe-raises after `rewrite as jax.lax.scan carrying "
                          "window, total`: candidate raises TypeError: scan body function "
                          "carry input and carry output must have the same pytree "
                          "structure, but they differ:"))
