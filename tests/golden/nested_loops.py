"""Multi-layer recurrence: an outer loop over time and an inner loop over the feature columns."""
import jax
import jax.numpy as jnp


@jax.jit
def column_recurrence(W, xs):
    h = jnp.zeros(xs.shape[1])
    outs = []
    for x in xs:
        acc = jnp.zeros(())
        for j in range(x.shape[0]):
            acc = jnp.tanh(acc + W[j] @ h + x[j])
        h = h * 0.5 + acc
        outs.append(h)
    return jnp.stack(outs)


def _args(T):
    k1, k2 = jax.random.split(jax.random.key(0))
    return jax.random.normal(k1, (3, 3)) / 3, jax.random.normal(k2, (T, 3))


CASE = dict(entry="column_recurrence", args=_args, grad="auto", unsafe=False, primitive="scan",
            differentiable=True, trip_counts=(4, 16))
