"""Trap: a module-level running mean updated with `global` in the loop, then read through a
helper after it: as a carry the global would be bound to a tracer and the helper would read
whatever the module holds."""
import jax
import jax.numpy as jnp

RUNNING = jnp.zeros(4)


def running():
    return RUNNING


@jax.jit
def normalise(xs: jax.Array):
    global RUNNING
    RUNNING = jnp.zeros(4)
    for x in xs:
        RUNNING = 0.9 * RUNNING + 0.1 * x
    return xs[-1] - running()


# --- hand-written lax rewrite -------------------------------------------------------------

@jax.jit
def normalise_lax(xs):
    m, _ = jax.lax.scan(lambda m, x: (0.9 * m + 0.1 * x, None), jnp.zeros(4), xs)
    return xs[-1] - m


def _args(T):
    return (jax.random.normal(jax.random.key(66), (T, 4)),)


CASE = dict(entry="normalise", rewrite="normalise_lax", args=_args,
            hazard="carries/global-nonlocal", expect="refuse", primitive="scan",
            unsafe_raise_note={"unexpected tracer": "global"})
