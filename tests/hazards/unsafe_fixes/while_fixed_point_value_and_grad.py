"""Trap: a damped fixed-point iteration `while` the update is large, with the solver's output
fed to a loss under `jax.value_and_grad` in a training step."""
import jax
import jax.numpy as jnp


def loss(W, b):
    z = jnp.zeros(4)
    delta = jnp.ones(())
    while delta > 1e-3:
        z_new = jnp.tanh(W @ z + b)
        delta = jnp.max(jnp.abs(z_new - z))
        z = z_new
    return jnp.sum(z ** 2)


@jax.jit
def train_step(W, b):
    return jax.value_and_grad(loss)(W, b)


# --- hand-written lax rewrite -------------------------------------------------------------

def solve_lax(W, b):
    def step(carry, _):
        z, delta = carry
        active = delta > 1e-3
        z_new = jnp.tanh(W @ z + b)
        return (jnp.where(active, z_new, z),
                jnp.where(active, jnp.max(jnp.abs(z_new - z)), delta)), None

    (z, _), _ = jax.lax.scan(step, (jnp.zeros(4), jnp.ones(())), None, length=60)
    return z


@jax.jit
def train_step_lax(W, b):
    return jax.value_and_grad(lambda W: jnp.sum(solve_lax(W, b) ** 2))(W)


def _args(T):
    k1, k2 = jax.random.split(jax.random.key(129 + T))
    return jax.random.normal(k1, (4, 4)) * 0.2, jax.random.normal(k2, (4,))


CASE = dict(entry="train_step", rewrite="train_step_lax", args=_args,
            hazard="unsafe/while-under-grad", expect="unsafe", primitive="scan",
            unsafe_raise_note={"Reverse-mode differentiation": "reverse-differentiable"})
