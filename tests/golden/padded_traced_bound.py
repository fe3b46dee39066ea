"""Energy of the first `n` samples, `n` traced but capped by the (static) length: pad and mask.

A fori_loop over `range(n)` would be a while loop (no reverse-mode gradient); scanning the static
maximum with the steps past `n` masked stays differentiable.
"""
import jax
import jax.numpy as jnp


@jax.jit
def prefix_energy(xs, n):
    energy = jnp.zeros(())
    for t in range(min(n, xs.shape[0])):
        # decayed running energy
        energy = energy * 0.5 + xs[t] ** 2
    return energy


def _args(T):
    return jax.random.normal(jax.random.key(3), (T,)), jnp.int32(T // 2 + 1)


CASE = dict(entry="prefix_energy", args=_args, grad="auto", unsafe=True, primitive="scan",
            differentiable=True, trip_counts=(4, 16), raises=True)
