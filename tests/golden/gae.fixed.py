"""Generalized advantage estimation, backwards over time with reversed(range(T))."""
import jax
import jax.numpy as jnp


@jax.jit
def gae(rewards, values, dones, gamma, lam):
    adv = jnp.zeros(())

    def gae_step(adv, t):
        not_done = 1.0 - dones[t]
        delta = rewards[t] + gamma * values[t + 1] * not_done - values[t]
        adv = delta + gamma * lam * not_done * adv
        return adv, adv
    adv, advantages = jax.lax.scan(gae_step, adv, jnp.arange(rewards.shape[0])[::-1])
    return advantages[::-1]


def _args(T):
    k1, k2, k3 = jax.random.split(jax.random.key(0), 3)
    dones = (jax.random.uniform(k3, (T,)) < 0.2).astype(jnp.float32)
    return (jax.random.normal(k1, (T,)), jax.random.normal(k2, (T + 1,)), dones,
            jnp.float32(0.99), jnp.float32(0.95))


CASE = dict(entry="gae", args=_args, grad="auto", unsafe=False, primitive="scan",
            differentiable=True, trip_counts=(4, 16))
