"""Trap: `zip(xs, xs[1:])` pairs each step with the next: the second sequence is one
shorter, statically. Python stops at the shorter; a scan raises on unequal lengths."""
import jax
import jax.numpy as jnp


@jax.jit
def velocity_energy(xs: jax.Array):
    energy = jnp.zeros(())
    for a, b in zip(xs, xs[1:]):
        energy = energy + jnp.sum((b - a) ** 2)
    return energy


# --- hand-written lax rewrite -------------------------------------------------------------

@jax.jit
def velocity_energy_lax(xs):
    energy, _ = jax.lax.scan(lambda e, ab: (e + jnp.sum((ab[1] - ab[0]) ** 2), None),
                             jnp.zeros(()), (xs[:-1], xs[1:]))
    return energy


def _args(T):
    return (jax.random.normal(jax.random.key(125), (T, 4)),)


CASE = dict(entry="velocity_energy", rewrite="velocity_energy_lax", args=_args,
            hazard="unsafe/zip-unequal", expect="safe", primitive="scan",
            unsafe_raise_note={"leading axis sizes": "zip"},
            XFAIL_COVERAGE=("refused: only unsafe: rewrite as jax.lax.scan carrying energy "
                            "(unsafe: jax.lax.scan raises where `zip` would silently stop "
                            "at the shortest array)"))
