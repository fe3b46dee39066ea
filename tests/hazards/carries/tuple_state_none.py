"""Trap: a tuple state `(acc, prev)` with `prev` None on entry: the tuple's structure
changes in the first step."""
import jax
import jax.numpy as jnp


@jax.jit
def variation(xs: jax.Array):
    state = (jnp.zeros(()), None)
    for x in xs:
        acc, prev = state
        d = jnp.zeros(()) if prev is None else jnp.sum(jnp.abs(x - prev))
        state = (acc + d, x)
    return state[0]


# --- hand-written lax rewrite -------------------------------------------------------------

@jax.jit
def variation_lax(xs):
    def step(carry, x):
        acc, prev = carry
        return (acc + jnp.sum(jnp.abs(x - prev)), x), None

    (acc, _), _ = jax.lax.scan(step, (jnp.zeros(()), xs[0]), xs[1:])
    return acc


def _args(T):
    return (jax.random.normal(jax.random.key(69), (T, 4)),)


CASE = dict(entry="variation", rewrite="variation_lax", args=_args,
            hazard="carries/tuple-state", expect="refuse", primitive="scan",
            unsafe_raise_note={"pytree structure": "None"},
            XFAIL_SAFE=("WRONG-safe-raises after `rewrite as jax.lax.scan carrying state`: "
                        "candidate raises TypeError: scan body function carry input and "
                        "carry output must have the same pytree structure, but they differ:"),
            XFAIL_UNSAFE=("WRONG-safe-raises after `rewrite as jax.lax.scan carrying "
                          "state`: candidate raises TypeError: scan body function carry "
                          "input and carry output must have the same pytree structure, but "
                          "they differ:"))
