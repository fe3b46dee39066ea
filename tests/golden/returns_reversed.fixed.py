"""Monte-Carlo returns with reversed(rewards); the list is built backwards, so it is flipped."""
import jax
import jax.numpy as jnp


@jax.jit
def mc_returns(rewards, gamma):
    g = jnp.zeros(rewards.shape[1])

    def mc_returns_step(g, r):
        g = r + gamma * g
        return g, g
    g, rets = jax.lax.scan(mc_returns_step, g, rewards[::-1])
    return jnp.flip(rets, axis=0)


def _args(T):
    return jax.random.uniform(jax.random.key(0), (T, 2)), jnp.float32(0.9)


CASE = dict(entry="mc_returns", args=_args, grad="auto", unsafe=False, primitive="scan",
            differentiable=True, trip_counts=(4, 16))
