"""Discounted returns G_t = r_t + gamma * G_{t+1}, computed backwards with a negative range step."""
import jax
import jax.numpy as jnp


@jax.jit
def discounted_returns(rewards, gamma):
    g = jnp.zeros(())

    def discounted_returns_step(g, t):
        g = rewards[t] + gamma * g
        return g, g
    g, returns = jax.lax.scan(discounted_returns_step, g, jnp.arange(rewards.shape[0] - 1, -1, -1))
    return returns


CASE = dict(entry="discounted_returns",
            args=lambda T: (jax.random.uniform(jax.random.key(0), (T,)), jnp.float32(0.9)),
            grad="auto", unsafe=False, primitive="scan", differentiable=True, trip_counts=(4, 16))
