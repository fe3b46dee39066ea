"""Cumulative product of per-step survival probabilities, collected with jnp.asarray."""
import jax
import jax.numpy as jnp


@jax.jit
def survival_curve(hazards):
    alive = jnp.ones(hazards.shape[1])
    curve = []
    for h in hazards:
        alive = alive * (1.0 - jax.nn.sigmoid(h))
        curve.append(alive)
    return jnp.asarray(curve)


CASE = dict(entry="survival_curve",
            args=lambda T: (jax.random.normal(jax.random.key(0), (T, 3)),),
            grad="auto", unsafe=False, primitive="scan", differentiable=True, trip_counts=(4, 16))
