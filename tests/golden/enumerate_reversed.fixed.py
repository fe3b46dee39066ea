"""Discounted sum of recent rewards: the k-th most recent reward is weighted by discounts[k]."""
import jax
import jax.numpy as jnp


@jax.jit
def recent_return(rewards, discounts):
    g = jnp.zeros(rewards.shape[1:], rewards.dtype)

    def recent_return_step(g, k_r):
        k, r = k_r
        g = g + discounts[k] * r
        return g, None
    g, _ = jax.lax.scan(recent_return_step, g, (jnp.arange(rewards[::-1].shape[0]), rewards[::-1]))
    return g


def _args(T):
    return jax.random.normal(jax.random.key(0), (T, 2)), 0.9 ** jnp.arange(T, dtype=jnp.float32)


CASE = dict(entry="recent_return", args=_args, grad=None, unsafe=False,
            primitive="scan", differentiable=True, trip_counts=(4, 16))
