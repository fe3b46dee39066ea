"""Linear-Gaussian filter that returns the filtered means and variances (two output lists)."""
import jax
import jax.numpy as jnp


@jax.jit
def kalman_filter(obs, q, r):
    m = jnp.zeros((), obs.dtype)
    p = jnp.ones((), obs.dtype)

    def kalman_filter_step(carry, y):
        m, p = carry
        p_pred = p + q
        k = p_pred / (p_pred + r)
        m = m + k * (y - m)
        p = (1.0 - k) * p_pred
        return (m, p), (m, p)
    (m, p), (means, variances) = jax.lax.scan(kalman_filter_step, (m, p), obs)
    return means, variances


def _args(T):
    return jax.random.normal(jax.random.key(0), (T,)), jnp.float32(0.1), jnp.float32(0.5)


CASE = dict(entry="kalman_filter", args=_args, grad="auto", unsafe=False, primitive="scan",
            differentiable=True, trip_counts=(4, 16))
