"""Velocities from positions by finite differences, with a smoothed speed as a carry."""
import jax
import jax.numpy as jnp


@jax.jit
def velocities(positions, dt):
    speed = jnp.zeros(())

    def velocities_step(speed, i):
        v = (positions[i + 1] - positions[i]) / dt
        speed = 0.9 * speed + 0.1 * jnp.linalg.norm(v)
        return speed, v
    speed, vels = jax.lax.scan(velocities_step, speed, jnp.arange(positions.shape[0] - 1))
    return vels, speed


def _args(T):
    return jnp.cumsum(jax.random.normal(jax.random.key(0), (T, 2)), axis=0), jnp.float32(0.1)


CASE = dict(entry="velocities", args=_args, grad=None, unsafe=False, primitive="scan",
            differentiable=True, trip_counts=(4, 16))
