"""Velocities from positions by finite differences, with a smoothed speed as a carry."""
import jax
import jax.numpy as jnp


@jax.jit
def velocities(positions, dt):
    speed = jnp.zeros(())
    vels = []
    for i in range(positions.shape[0] - 1):
        v = (positions[i + 1] - positions[i]) / dt
        speed = 0.9 * speed + 0.1 * jnp.linalg.norm(v)
        vels.append(v)
    return jnp.stack(vels), speed


def _args(T):
    return jnp.cumsum(jax.random.normal(jax.random.key(0), (T, 2)), axis=0), jnp.float32(0.1)


CASE = dict(entry="velocities", args=_args, grad=None, unsafe=False, primitive="scan",
            differentiable=True, trip_counts=(4, 16))
