"""Classic RK4 integration of a Lotka-Volterra system on a time grid, saving the trajectory."""
import jax
import jax.numpy as jnp


def lotka_volterra(y, params):
    a, b, c, d = params[0], params[1], params[2], params[3]
    prey, pred = y[0], y[1]
    return jnp.stack([a * prey - b * prey * pred, d * prey * pred - c * pred])


def rk4_step(y, params, dt):
    k1 = lotka_volterra(y, params)
    k2 = lotka_volterra(y + 0.5 * dt * k1, params)
    k3 = lotka_volterra(y + 0.5 * dt * k2, params)
    k4 = lotka_volterra(y + dt * k3, params)
    return y + dt / 6.0 * (k1 + 2.0 * k2 + 2.0 * k3 + k4)


@jax.jit
def integrate(y0, params, ts):
    y = y0

    def integrate_step(y, t0_t1):
        t0, t1 = t0_t1
        y = rk4_step(y, params, t1 - t0)
        return y, y
    y, trajectory = jax.lax.scan(integrate_step, y, (ts[:-1], ts[1:]))
    return trajectory


def _args(T):
    return jnp.array([1.0, 0.5]), jnp.array([1.1, 0.4, 0.4, 0.1]), jnp.linspace(0.0, 0.1 * T, T + 1)


CASE = dict(entry="integrate", args=_args, grad="auto", unsafe=True, primitive="scan",
            differentiable=True, trip_counts=(4, 16))
