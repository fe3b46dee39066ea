"""Gaussian log-likelihood accumulated from a Python float (weak-typed) initial value."""
import jax
import jax.numpy as jnp


@jax.jit
def gaussian_loglik(xs, mu, log_sigma):
    ll = 0.0
    for x in xs:
        z = (x - mu) * jnp.exp(-log_sigma)
        ll = ll + jnp.sum(-0.5 * z ** 2 - log_sigma)
    return ll


def _args(T):
    return jax.random.normal(jax.random.key(0), (T, 3)), jnp.zeros(3), jnp.full((3,), 0.2)


CASE = dict(entry="gaussian_loglik", args=_args, grad="auto", unsafe=True, primitive="scan",
            differentiable=True, trip_counts=(4, 16))
