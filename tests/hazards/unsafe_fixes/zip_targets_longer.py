"""Trap: the rewards buffer is longer than the values (a fixed-size buffer): Python's zip
stops at the values, a scan over both raises."""
import jax
import jax.numpy as jnp


@jax.jit
def td_errors_sum(values: jax.Array, rewards: jax.Array):
    total = jnp.zeros(())
    for v, r in zip(values, rewards):
        total = 0.99 * total + (r - v)
    return total


# --- hand-written lax rewrite -------------------------------------------------------------

@jax.jit
def td_errors_sum_lax(values, rewards):
    n = min(values.shape[0], rewards.shape[0])
    total, _ = jax.lax.scan(lambda t, vr: (0.99 * t + (vr[1] - vr[0]), None), jnp.zeros(()),
                            (values[:n], rewards[:n]))
    return total


def _args(T):
    k1, k2 = jax.random.split(jax.random.key(127))
    return jax.random.normal(k1, (T,)), jax.random.normal(k2, (8,))


CASE = dict(entry="td_errors_sum", rewrite="td_errors_sum_lax", args=_args,
            hazard="unsafe/zip-unequal", expect="unsafe", primitive="scan",
            unsafe_raise_note={"leading axis sizes": "zip"})
