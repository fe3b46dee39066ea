"""RK4 integration of a damped pendulum, with the loops a first port from NumPy would have.

Anti-patterns, as jaxloop-lint reports them:
  * `for _ in range(n_steps)` with `n_steps` a traced jit argument
    -> TracerIntegerConversionError under jit                         (JXL103)
  * `while` until the state settles below a traced tolerance
    -> TracerBoolConversionError under jit                            (JXL104)
Loops that stay quiet: the RK4 stages loop over a module-level Butcher tableau (static, four
stages), and the same fixed-step integrator with `n_steps` in `static_argnames`.

The demo runs the two raising functions under jax.disable_jit(), where they work as Python loops.
"""
import functools

import jax
import jax.numpy as jnp

# Classic RK4 Butcher tableau.
RK4_A = ((), (0.5,), (0.0, 0.5), (0.0, 0.0, 1.0))
RK4_B = (1.0 / 6.0, 1.0 / 3.0, 1.0 / 3.0, 1.0 / 6.0)
RK4_C = (0.0, 0.5, 0.5, 1.0)


def pendulum(t, y, damping=0.3, omega2=9.81):
    theta, speed = y[0], y[1]
    return jnp.stack([speed, -omega2 * jnp.sin(theta) - damping * speed])


def rk4_step(f, t, y, dt):
    ks = []
    for a_row, c in zip(RK4_A, RK4_C):  # quiet: four stages, fixed by the tableau
        y_stage = y
        for a, k in zip(a_row, ks):
            y_stage = y_stage + dt * a * k
        ks.append(f(t + c * dt, y_stage))
    increment = ks[0] * RK4_B[0]
    for b, k in zip(RK4_B[1:], ks[1:]):
        increment = increment + b * k
    return y + dt * increment


@jax.jit
def integrate_fixed(y0, dt, n_steps):
    """n_steps RK4 steps of size dt; n_steps arrives as a traced int."""
    t, y = 0.0, y0
    for _ in range(n_steps):
        y = rk4_step(pendulum, t, y, dt)
        t = t + dt
    return y


@functools.partial(jax.jit, static_argnames="n_steps")
def integrate_fixed_static(y0, dt, n_steps):
    """The same with n_steps static: legal, unrolls n_steps times by choice."""
    t, y = 0.0, y0
    for _ in range(n_steps):
        y = rk4_step(pendulum, t, y, dt)
        t = t + dt
    return y


@jax.jit
def settle(y0, dt, tol):
    """Integrate until the pendulum is (almost) at rest; return the time it took and the state."""
    t, y = 0.0, y0
    while jnp.max(jnp.abs(y)) > tol:
        y = rk4_step(pendulum, t, y, dt)
        t = t + dt
    return t, y


if __name__ == "__main__":
    y0 = jnp.array([1.0, 0.0])
    print("integrate_fixed_static:", integrate_fixed_static(y0, 0.01, n_steps=5))
    for fn, args in ((integrate_fixed, (y0, 0.01, 5)), (settle, (y0, 0.1, 0.05))):
        try:
            fn(*args)
        except (jax.errors.TracerIntegerConversionError, jax.errors.TracerBoolConversionError) as e:
            print(f"{fn.__name__} under jit: {type(e).__name__}")
        with jax.disable_jit():
            print(f"{fn.__name__} under disable_jit:", fn(*args))
