"""Sum of every other frame: range(a, b, step) with a positive step."""
import jax
import jax.numpy as jnp


@jax.jit
def even_frame_energy(frames):
    energy = jnp.float32(0.0)

    def even_frame_energy_step(energy, t):
        energy = energy + jnp.sum(frames[t] ** 2)
        return energy, None
    energy, _ = jax.lax.scan(even_frame_energy_step, energy, jnp.arange(0, frames.shape[0], 2))
    return energy


CASE = dict(entry="even_frame_energy",
            args=lambda T: (jax.random.normal(jax.random.key(0), (T, 3)),),
            grad="auto", unsafe=False, primitive="scan", differentiable=True, trip_counts=(4, 16))
