"""Trap: negative inputs are skipped with `continue` before a `jnp.sqrt`. A masked scan
computes sqrt of the skipped negatives anyway (nan), keeps the old value forward, but the
gradient through `jnp.where` is 0 * nan = nan."""
import jax
import jax.numpy as jnp


@jax.jit
def root_energy(xs: jax.Array):
    acc = jnp.zeros(())
    for x in xs:
        if x < 0:
            continue
        acc = acc + jnp.sqrt(x)
    return acc


# --- hand-written lax rewrite -------------------------------------------------------------

@jax.jit
def root_energy_lax(xs):
    def step(acc, x):
        skip = x < 0
        safe_x = jnp.where(skip, 1.0, x)
        return jnp.where(skip, acc, acc + jnp.sqrt(safe_x)), None

    acc, _ = jax.lax.scan(step, jnp.zeros(()), xs)
    return acc


def _args(T):
    return (jnp.linspace(-1.0, 2.0, T) + 0.1,)


CASE = dict(entry="root_energy", rewrite="root_energy_lax", args=_args,
            hazard="unsafe/masked-nan-grad", expect="unsafe", primitive="scan", grad="auto",
            trip_counts=(3, 6))
