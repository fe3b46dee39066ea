"""Trap: an inner gradient-descent `while` the gradient is large, inside an outer
`jax.grad` with respect to the target (a meta-gradient): a while_loop rewrite raises under
reverse mode."""
import jax
import jax.numpy as jnp


def meta_loss(target):
    x = jnp.zeros(())
    g = 2.0 * (x - target)
    while jnp.abs(g) > 1e-2:
        x = x - 0.3 * g
        g = 2.0 * (x - target)
    return x ** 2


@jax.jit
def meta_grad(target):
    return jax.grad(meta_loss)(target)


# --- hand-written lax rewrite -------------------------------------------------------------

def inner_solution_lax(target):
    def step(carry, _):
        x, g = carry
        active = jnp.abs(g) > 1e-2
        x_new = x - 0.3 * g
        return (jnp.where(active, x_new, x), jnp.where(active, 2.0 * (x_new - target), g)), None

    x0 = jnp.zeros(())
    (x, _), _ = jax.lax.scan(step, (x0, 2.0 * (x0 - target)), None, length=40)
    return x


@jax.jit
def meta_grad_lax(target):
    return jax.grad(lambda t: inner_solution_lax(t) ** 2)(target)


def _args(T):
    return (jnp.float32(0.5 * T),)


CASE = dict(entry="meta_grad", rewrite="meta_grad_lax", args=_args,
            hazard="unsafe/while-under-grad", expect="unsafe", primitive="scan",
            unsafe_raise_note={"Reverse-mode differentiation": "reverse-differentiable"})
