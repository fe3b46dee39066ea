"""Trap: the first `n` magnitudes of a zero-padded batch, as `x ** 0.5` (a fractional power,
not a call to `jnp.sqrt`): the padded steps take the root of zero, whose derivative is
infinite, and the masked gradient is NaN unless the base is guarded."""
import jax
import jax.numpy as jnp


@jax.jit
def root_sum(xs: jax.Array, n):
    acc = jnp.zeros(())
    for t in range(min(n, xs.shape[0])):
        acc = acc + xs[t] ** 0.5
    return acc


# --- hand-written lax rewrite -------------------------------------------------------------

@jax.jit
def root_sum_lax(xs, n):
    def step(acc, t):
        live = t < n
        base = jnp.where(live, xs[t], 1.0)
        return jnp.where(live, acc + base ** 0.5, acc), None

    acc, _ = jax.lax.scan(step, jnp.zeros(()), jnp.arange(xs.shape[0]))
    return acc


def _args(T):
    xs = jnp.linspace(1.0, 2.0, 8)
    return xs.at[T:].set(0.0), jnp.int32(T)


CASE = dict(entry="root_sum", rewrite="root_sum_lax", args=_args,
            hazard="unsafe/masked-nan-grad", expect="unsafe", primitive="scan", grad="auto",
            trip_counts=(3, 6))
