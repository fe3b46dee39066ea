"""Explicit Euler integration of a damped pendulum on a (possibly non-uniform) time grid."""
import jax
import jax.numpy as jnp


def pendulum(state, damping):
    theta, omega = state[0], state[1]
    return jnp.stack([omega, -jnp.sin(theta) - damping * omega])


@jax.jit
def euler(state, damping, ts):
    def euler_step(k, state):
        dt = ts[k + 1] - ts[k]
        state = state + dt * pendulum(state, damping)
        return state
    state = jax.lax.fori_loop(0, ts.shape[0] - 1, euler_step, state)
    return state


def _args(T):
    return jnp.array([1.0, 0.0]), jnp.float32(0.1), jnp.linspace(0.0, 0.05 * T, T + 1)


CASE = dict(entry="euler", args=_args, grad="auto", unsafe=False, primitive="scan",
            differentiable=True, trip_counts=(4, 16))
