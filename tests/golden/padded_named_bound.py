"""The cap is computed once before the loop (`steps = jnp.minimum(n_steps, xs.shape[0])`), then
`range(steps)`: the static maximum is found through the name, so the loop still becomes a
masked scan over xs.shape[0] steps (reverse-differentiable) instead of a while loop."""
import jax
import jax.numpy as jnp


@jax.jit
def damped_prefix(xs, n_steps):
    steps = jnp.minimum(n_steps, xs.shape[0])
    y = jnp.zeros(xs.shape[1:])
    for t in range(steps):
        y = 0.8 * y + jnp.sin(xs[t])
    return y


def _args(T):
    return jax.random.normal(jax.random.key(5), (T, 2)), jnp.int32(T - 2)


CASE = dict(entry="damped_prefix", args=_args, grad="auto", unsafe=True, primitive="scan",
            differentiable=True, trip_counts=(4, 16), raises=True)
