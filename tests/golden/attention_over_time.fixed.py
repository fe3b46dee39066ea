"""Causal dot-product attention over a memory, one query per time step (independent steps)."""
import jax
import jax.numpy as jnp


@jax.jit
def attend_over_time(queries, memory):
    def attend_over_time_step(q):
        scores = memory @ q / jnp.sqrt(q.shape[0])
        w = jax.nn.softmax(scores)
        return (w @ memory, w)
    contexts, weights = jax.vmap(attend_over_time_step)(queries)
    return contexts, jnp.moveaxis(weights, 0, 1)


def _args(T):
    k1, k2 = jax.random.split(jax.random.key(0))
    return jax.random.normal(k1, (T, 4)), jax.random.normal(k2, (6, 4))


CASE = dict(entry="attend_over_time", args=_args, grad="auto", unsafe=True, primitive=None,
            differentiable=True, trip_counts=(4, 16))
