"""Trap: harmonic sum up to the first zero (`if x == 0: break`, then `1.0 / x`). A masked
scan divides by the zero and by what follows it: masked forward, but inf * 0 = nan in the
gradient."""
import jax
import jax.numpy as jnp


@jax.jit
def harmonic(xs: jax.Array):
    acc = jnp.zeros(())
    for x in xs:
        if x == 0:
            break
        acc = acc + 1.0 / x
    return acc


# --- hand-written lax rewrite -------------------------------------------------------------

@jax.jit
def harmonic_lax(xs):
    def step(carry, x):
        acc, done = carry
        done = done | (x == 0)
        safe = jnp.where(done, 1.0, x)
        return (jnp.where(done, acc, acc + 1.0 / safe), done), None

    (acc, _), _ = jax.lax.scan(step, (jnp.zeros(()), False), xs)
    return acc


def _args(T):
    return (jnp.linspace(1.0, 2.0, T).at[T // 2].set(0.0),)


CASE = dict(entry="harmonic", rewrite="harmonic_lax", args=_args,
            hazard="unsafe/masked-nan-grad", expect="unsafe", primitive="scan", grad="auto",
            trip_counts=(3, 6))
