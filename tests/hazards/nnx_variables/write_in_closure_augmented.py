"""Trap: a nested helper in the lax body accumulates into a Variable with an augmented
assignment (`self.energy[...] += jnp.sum(v ** 2)`): rewritten to a carried local inside the
helper it becomes an UnboundLocalError."""
import jax
import jax.numpy as jnp
from flax import nnx


class Energy(nnx.Variable):
    pass


class Oscillator(nnx.Module):
    def __init__(self):
        self.energy = Energy(jnp.zeros(()))

    def __call__(self, q, T):
        def body(i, q):
            def record(v):
                self.energy[...] += jnp.sum(v ** 2)

            q = q - 0.1 * jnp.sin(q)
            record(q)
            return q

        return jax.lax.fori_loop(0, T, body, q)


# --- hand-written lax rewrite -------------------------------------------------------------

def oscillator_lax(model, q, T):
    def body(i, carry):
        q, energy = carry
        q = q - 0.1 * jnp.sin(q)
        return q, energy + jnp.sum(q ** 2)

    q, energy = jax.lax.fori_loop(0, T, body, (q, model.energy[...]))
    model.energy[...] = energy
    return q


def _args(T):
    return Oscillator(), jax.random.normal(jax.random.key(119), (4,)), T


CASE = dict(entry="Oscillator.__call__", rewrite="oscillator_lax", args=_args,
            hazard="nnx/write-in-closure", expect="refuse", primitive="scan")
