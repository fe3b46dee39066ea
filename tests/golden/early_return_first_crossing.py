"""Early `return` inside the loop: integrate a leaky accumulator and return the level at the
first step that crosses a threshold, or the final level scaled down if it never does."""
import jax
import jax.numpy as jnp


@jax.jit
def first_crossing(xs, threshold):
    level = jnp.zeros(())
    for x in xs:
        level = 0.9 * level + x
        if level > threshold:
            return level * 2.0
    return level * 0.5


def _args(T):
    return jax.random.uniform(jax.random.key(0), (T,)), jnp.float32(2.5)


CASE = dict(entry="first_crossing", args=_args, grad="auto", unsafe=True, primitive="scan",
            differentiable=True, trip_counts=(4, 16), raises=True)
