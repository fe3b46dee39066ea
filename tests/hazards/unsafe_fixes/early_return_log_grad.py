"""Trap: an early `return` at the first step whose survival probability drops below a floor;
the steps after it compute `jnp.log(1 - p)` with p == 1 (log 0) in a masked scan: nan
gradients."""
import jax
import jax.numpy as jnp


@jax.jit
def log_survival(ps: jax.Array, floor):
    logs = jnp.zeros(())
    for p in ps:
        logs = logs + jnp.log(1.0 - p)
        if logs < floor:
            return logs
    return logs


# --- hand-written lax rewrite -------------------------------------------------------------

@jax.jit
def log_survival_lax(ps, floor):
    def step(carry, p):
        logs, done = carry
        safe_p = jnp.where(done, 0.0, p)
        new = logs + jnp.log(1.0 - safe_p)
        logs = jnp.where(done, logs, new)
        return (logs, done | (logs < floor)), None

    (logs, _), _ = jax.lax.scan(step, (jnp.zeros(()), False), ps)
    return logs


def _args(T):
    ps = jnp.full((T,), 0.5).at[T - 1].set(1.0)
    return ps, jnp.float32(-1.0)


CASE = dict(entry="log_survival", rewrite="log_survival_lax", args=_args,
            hazard="unsafe/masked-nan-grad", expect="unsafe", primitive="scan", grad="auto",
            trip_counts=(3, 6))
