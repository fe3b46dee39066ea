"""Early `return` inside the loop: integrate a leaky accumulator and return the level at the
first step that crosses a threshold, or the final level scaled down if it never does."""
import jax
import jax.numpy as jnp


@jax.jit
def first_crossing(xs, threshold):
    level = jnp.zeros(())

    def first_crossing_step(carry, x):
        level, done = carry
        level_prev = level
        level = 0.9 * level + x
        stop = level > threshold
        level_at_stop = level
        level = jnp.where(done, level_prev, jnp.where(stop, level_at_stop, level))
        return (level, done | stop), None
    (level, done), _ = jax.lax.scan(first_crossing_step, (level, False), xs)
    return jnp.where(done, level * 2.0, level * 0.5)


def _args(T):
    return jax.random.uniform(jax.random.key(0), (T,)), jnp.float32(2.5)


CASE = dict(entry="first_crossing", args=_args, grad="auto", unsafe=True, primitive="scan",
            differentiable=True, trip_counts=(4, 16), raises=True)
