"""Noisy RNN rollout: a PRNG key carried through the loop with key, sub = jax.random.split(key)."""
import jax
import jax.numpy as jnp


@jax.jit
def noisy_rollout(W, xs, key):
    h = jnp.zeros(W.shape[0], xs.dtype)

    def noisy_rollout_step(carry, x):
        key, h = carry
        key, sub = jax.random.split(key)
        noise = 0.1 * jax.random.normal(sub, h.shape)
        h = jnp.tanh(W @ h + x) + noise
        return (key, h), h
    (key, h), hs = jax.lax.scan(noisy_rollout_step, (key, h), xs)
    return hs, key


def _args(T):
    k1, k2 = jax.random.split(jax.random.key(0))
    return jax.random.normal(k1, (4, 4)) / 3, jax.random.normal(k2, (T, 4)), jax.random.key(42)


CASE = dict(entry="noisy_rollout", args=_args, grad="auto", unsafe=False, primitive="scan",
            differentiable=True, trip_counts=(4, 16))
