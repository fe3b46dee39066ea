"""Trap: the first `n` steps of a padded batch (`range(min(n, xs.shape[0]))`), where the
padding is zeros. A pad-and-mask scan divides by the zero padding too: inf there, masked
forward, nan in the gradient."""
import jax
import jax.numpy as jnp


@jax.jit
def inverse_sum(xs: jax.Array, n):
    acc = jnp.zeros(())
    for t in range(min(n, xs.shape[0])):
        acc = acc + 1.0 / xs[t]
    return acc


# --- hand-written lax rewrite -------------------------------------------------------------

@jax.jit
def inverse_sum_lax(xs, n):
    def step(acc, t):
        active = t < n
        safe = jnp.where(active, xs[t], 1.0)
        return jnp.where(active, acc + 1.0 / safe, acc), None

    acc, _ = jax.lax.scan(step, jnp.zeros(()), jnp.arange(xs.shape[0]))
    return acc


def _args(T):
    n = T // 2 + 1
    xs = jnp.where(jnp.arange(T) < n, jnp.linspace(1.0, 2.0, T), 0.0)
    return xs, jnp.int32(n)


CASE = dict(entry="inverse_sum", rewrite="inverse_sum_lax", args=_args,
            hazard="unsafe/masked-nan-grad", expect="unsafe", primitive="scan", grad="auto",
            trip_counts=(3, 6))
