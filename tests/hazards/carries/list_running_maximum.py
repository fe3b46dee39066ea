"""Trap: a Python list of the per-step maxima grows by one each step (`seen = seen + [m]`)
and is stacked inside the body: a carry whose structure changes every step."""
import jax
import jax.numpy as jnp


@jax.jit
def peaks(xs: jax.Array):
    seen = []
    acc = jnp.zeros(())
    for x in xs:
        seen = seen + [jnp.max(x)]
        acc = acc + jnp.max(jnp.stack(seen))
    return acc


# --- hand-written lax rewrite -------------------------------------------------------------

@jax.jit
def peaks_lax(xs):
    def step(carry, x):
        best, acc = carry
        best = jnp.maximum(best, jnp.max(x))
        return (best, acc + best), None

    (_, acc), _ = jax.lax.scan(step, (jnp.float32(-jnp.inf), jnp.zeros(())), xs)
    return acc


def _args(T):
    return (jax.random.normal(jax.random.key(98), (T, 4)),)


CASE = dict(entry="peaks", rewrite="peaks_lax", args=_args, hazard="carries/python-list",
            expect="refuse", primitive="scan",
            unsafe_raise_note={"pytree structure": ("list", "structure")},
            XFAIL_SAFE=("WRONG-safe-raises after `rewrite as jax.lax.scan carrying seen, "
                        "acc`: candidate raises TypeError: scan body function carry input "
                        "and carry output must have the same pytree structure, but they "
                        "differ:"),
            XFAIL_UNSAFE=("WRONG-safe-raises after `rewrite as jax.lax.scan carrying seen, "
                          "acc`: candidate raises TypeError: scan body function carry input"
                          " and carry output must have the same pytree structure, but they "
                          "differ:"))
