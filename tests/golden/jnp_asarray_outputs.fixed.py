"""Cumulative product of per-step survival probabilities, collected with jnp.asarray."""
import jax
import jax.numpy as jnp


@jax.jit
def survival_curve(hazards):
    alive = jnp.ones(hazards.shape[1])

    def survival_curve_step(alive, h):
        alive = alive * (1.0 - jax.nn.sigmoid(h))
        return alive, alive
    alive, curve = jax.lax.scan(survival_curve_step, alive, hazards)
    return curve


CASE = dict(entry="survival_curve",
            args=lambda T: (jax.random.normal(jax.random.key(0), (T, 3)),),
            grad="auto", unsafe=False, primitive="scan", differentiable=True, trip_counts=(4, 16))
