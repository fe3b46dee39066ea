"""Trap: the path length stops at the first zero step (`if jnp.all(d == 0): break`);
`jnp.linalg.norm(d)` of the zero steps after it has a NaN gradient (the norm's derivative at
the zero vector), which a masked scan's `jnp.where` does not stop: the operand must be guarded
too."""
import jax
import jax.numpy as jnp


@jax.jit
def path_length(ds: jax.Array):
    total = jnp.zeros(())
    for d in ds:
        if jnp.all(d == 0):
            break
        total = total + jnp.linalg.norm(d)
    return total


# --- hand-written lax rewrite -------------------------------------------------------------

@jax.jit
def path_length_lax(ds):
    def step(carry, d):
        total, done = carry
        done = done | jnp.all(d == 0)
        safe = jnp.where(done, 1.0, d)
        return (jnp.where(done, total, total + jnp.linalg.norm(safe)), done), None

    (total, _), _ = jax.lax.scan(step, (jnp.zeros(()), False), ds)
    return total


def _args(T):
    ds = jax.random.normal(jax.random.key(150), (T, 3))
    return (ds.at[T // 2:].set(0.0),)


CASE = dict(entry="path_length", rewrite="path_length_lax", args=_args,
            hazard="unsafe/masked-nan-grad", expect="unsafe", primitive="scan", grad="auto",
            trip_counts=(3, 6))
