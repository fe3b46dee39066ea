"""Refused: the simulation clock `t` is a Python float updated in pure Python."""
import jax
import jax.numpy as jnp


@jax.jit
def forced_oscillator(ys):
    t = 0.0
    y = jnp.zeros(())
    for f in ys:
        y = y + 0.1 * (jnp.sin(t) + f - y)
        t = t + 0.1
    return y


CASE = dict(reason='`t` is a Python float updated in Python')
