"""Trap: the log that poisons the gradient is inside a helper of the module (`nll(p)`), called
in the steps a masked scan keeps running after the `break`: its operand cannot be guarded where
the loop is, so the rewrite must not be offered."""
import jax
import jax.numpy as jnp


def nll(p):
    return -jnp.log(p)


@jax.jit
def loss_until_certain(ps: jax.Array):
    acc = jnp.zeros(())
    for p in ps:
        if p >= 1.0:
            break
        acc = acc + nll(1.0 - p)
    return acc


# --- hand-written lax rewrite -------------------------------------------------------------

@jax.jit
def loss_until_certain_lax(ps):
    def step(carry, p):
        acc, done = carry
        done = done | (p >= 1.0)
        q = jnp.where(done, 0.5, 1.0 - p)
        return (jnp.where(done, acc, acc - jnp.log(q)), done), None

    (acc, _), _ = jax.lax.scan(step, (jnp.zeros(()), False), ps)
    return acc


def _args(T):
    ps = jnp.linspace(0.1, 0.6, T)
    return (ps.at[T // 2:].set(1.0),)


CASE = dict(entry="loss_until_certain", rewrite="loss_until_certain_lax", args=_args,
            hazard="unsafe/masked-nan-grad", expect="refuse", primitive="scan", grad="auto",
            trip_counts=(3, 6))
