"""Per-step log-likelihood of a Gaussian random-walk model, collected with jnp.array."""
import jax
import jax.numpy as jnp


@jax.jit
def random_walk_loglik(obs, sigma):
    prev = jnp.zeros((), obs.dtype)
    logliks = []
    for y in obs:
        z = (y - prev) / sigma
        logliks.append(-0.5 * z ** 2 - jnp.log(sigma))
        prev = y
    return jnp.array(logliks)


def _args(T):
    return jnp.cumsum(jax.random.normal(jax.random.key(0), (T,))), jnp.float32(1.3)


CASE = dict(entry="random_walk_loglik", args=_args, grad="auto", unsafe=False, primitive="scan",
            differentiable=True, trip_counts=(4, 16))
