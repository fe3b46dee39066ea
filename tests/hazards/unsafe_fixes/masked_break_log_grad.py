"""Trap: a log-likelihood summed until the first non-positive rate (`if z <= 0: break`).
A masked scan still runs `jnp.log(z)` on the steps after the break: forward values are fine,
but the gradient of log at 0 (or below) is inf/nan and poisons the gradient (0 * inf)."""
import jax
import jax.numpy as jnp


@jax.jit
def survival_loglik(zs: jax.Array):
    acc = jnp.zeros(())
    for z in zs:
        if z <= 0:
            break
        acc = acc + jnp.log(z)
    return acc


# --- hand-written lax rewrite -------------------------------------------------------------

@jax.jit
def survival_loglik_lax(zs):
    def step(carry, z):
        acc, done = carry
        done = done | (z <= 0)
        safe_z = jnp.where(done, 1.0, z)        # double where: no log of the masked values
        return (jnp.where(done, acc, acc + jnp.log(safe_z)), done), None

    (acc, _), _ = jax.lax.scan(step, (jnp.zeros(()), False), zs)
    return acc


def _args(T):
    zs = jnp.linspace(2.0, 0.5, T)
    return (zs.at[T // 2].set(0.0),)


CASE = dict(entry="survival_loglik", rewrite="survival_loglik_lax", args=_args,
            hazard="unsafe/masked-nan-grad", expect="unsafe", primitive="scan", grad="auto",
            trip_counts=(3, 6))
