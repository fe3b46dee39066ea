"""Must not be a safe fix: `n_valid` is a strongly typed int32 carry, and adding the float mask
makes it float32 after the first step, so the loop carry changes dtype (recipe R1: refuse when a
strongly typed carry's dtype can change; R7: or peel the first iteration)."""
import jax
import jax.numpy as jnp


@jax.jit
def masked_mean(xs, mask):
    total = jnp.zeros(xs.shape[1:], xs.dtype)
    n_valid = jnp.zeros((), jnp.int32)
    for i in range(xs.shape[0]):
        total = total + mask[i] * xs[i]
        n_valid = n_valid + mask[i]
    return total / n_valid


CASE = dict(reason="`n_valid` starts as an integer array and `mask[i]` may make it a float")
