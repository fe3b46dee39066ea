"""Trap: `total = 0` (a Python int) accumulates float sums: after one step a float32. scan
promotes the weak int start, so T >= 1 agrees; at T = 0 Python returns the int 0."""
import jax
import jax.numpy as jnp


@jax.jit
def total_reward(rewards: jax.Array):
    total = 0
    for r in rewards:
        total = total + 0.5 * jnp.sum(r)
    return total


# --- hand-written lax rewrite -------------------------------------------------------------

@jax.jit
def total_reward_lax(rewards):
    if rewards.shape[0] == 0:       # static: Python's result for an empty loop
        return 0
    total, _ = jax.lax.scan(lambda t, r: (t + 0.5 * jnp.sum(r), None),
                            0 + 0.5 * jnp.sum(rewards[0]), rewards[1:])
    return total


def _args(T):
    return (jax.random.normal(jax.random.key(79), (T, 4)),)


CASE = dict(entry="total_reward", rewrite="total_reward_lax", args=_args,
            hazard="carries/dtype-change", expect="unsafe", primitive="scan",
            trip_counts=(0, 3), unsafe_t0_note="T = 0",
            XFAIL_UNSAFE=("WRONG-unsafe-silent after `rewrite as jax.lax.scan carrying "
                          "total`: aval: out: aval ~int32[] != float32[] (reference != "
                          "candidate)"))
