"""Trap: the body extends its own budget (`n = n + 1` on a bonus step) while the `range`
was fixed before the loop started; a mask re-reading `t < n` runs extra steps."""
import jax
import jax.numpy as jnp


@jax.jit
def bonus_rollout(rewards: jax.Array, n):
    ret = jnp.zeros(())
    for t in range(min(n, rewards.shape[0])):
        ret = 0.9 * ret + rewards[t]
        n = n + 1
    return ret


# --- hand-written lax rewrite -------------------------------------------------------------

@jax.jit
def bonus_rollout_lax(rewards, n):
    bound = jnp.minimum(n, rewards.shape[0])

    def step(ret, t):
        return jnp.where(t < bound, 0.9 * ret + rewards[t], ret), None

    ret, _ = jax.lax.scan(step, jnp.zeros(()), jnp.arange(rewards.shape[0]))
    return ret


def _args(T):
    return jax.random.normal(jax.random.key(132), (T,)), jnp.int32(T // 2)


CASE = dict(entry="bonus_rollout", rewrite="bonus_rollout_lax", args=_args,
            hazard="unsafe/padded-bound-rebound", expect="refuse", primitive="scan",
            trip_counts=(3, 6))
