"""Multi-layer recurrence: an outer loop over time and an inner loop over the feature columns."""
import jax
import jax.numpy as jnp


@jax.jit
def column_recurrence(W, xs):
    h = jnp.zeros(xs.shape[1])

    def column_recurrence_step(h, x):
        acc = jnp.zeros(())

        def column_recurrence_step_step(j, acc):
            acc = jnp.tanh(acc + W[j] @ h + x[j])
            return acc
        acc = jax.lax.fori_loop(0, x.shape[0], column_recurrence_step_step, acc)
        h = h * 0.5 + acc
        return h, h
    h, outs = jax.lax.scan(column_recurrence_step, h, xs)
    return outs


def _args(T):
    k1, k2 = jax.random.split(jax.random.key(0))
    return jax.random.normal(k1, (3, 3)) / 3, jax.random.normal(k2, (T, 3))


CASE = dict(entry="column_recurrence", args=_args, grad="auto", unsafe=False, primitive="scan",
            differentiable=True, trip_counts=(4, 16))
