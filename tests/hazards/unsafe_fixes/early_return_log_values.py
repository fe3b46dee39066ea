"""Trap: both return values take a log (`return jnp.log(acc)` at the first crossing,
`return jnp.log(acc + 1.0)` after the loop). A masked scan's `jnp.where(done, early, late)`
computes both: the branch not taken may be the log of zero, and its NaN gradient leaks through
the `where`."""
import jax
import jax.numpy as jnp


@jax.jit
def log_level(xs: jax.Array):
    acc = jnp.zeros(())
    for x in xs:
        acc = acc + x
        if acc > 2.0:
            return jnp.log(acc)
    return jnp.log(acc + 1.0)


# --- hand-written lax rewrite -------------------------------------------------------------

@jax.jit
def log_level_lax(xs):
    def step(carry, x):
        acc, done = carry
        new = acc + x
        acc = jnp.where(done, acc, new)
        return (acc, done | (new > 2.0)), None

    (acc, done), _ = jax.lax.scan(step, (jnp.zeros(()), False), xs)
    return jnp.log(jnp.where(done, acc, acc + 1.0))


def _args(T):
    return (jnp.linspace(0.2, 1.5, T),)


CASE = dict(entry="log_level", rewrite="log_level_lax", args=_args,
            hazard="unsafe/masked-nan-grad", expect="refuse", primitive="scan",
            grad="auto", trip_counts=(3, 6))
