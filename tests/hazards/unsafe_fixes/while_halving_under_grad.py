"""Trap: a step size halved `while` the loss is not decreasing (backtracking line search),
inside a loss differentiated with `jax.grad`: a while_loop rewrite raises under reverse mode."""
import jax
import jax.numpy as jnp


def loss(w):
    g = 2.0 * w
    step = jnp.ones(())
    while jnp.sum((w - step * g) ** 2) > jnp.sum(w ** 2) * 0.9:
        step = step * 0.5
    return jnp.sum((w - step * g) ** 2)


@jax.jit
def outer_grad(w):
    return jax.grad(loss)(w)


# --- hand-written lax rewrite -------------------------------------------------------------

def line_search_lax(w, g):
    def body(carry, _):
        step, done = carry
        done = done | ~(jnp.sum((w - step * g) ** 2) > jnp.sum(w ** 2) * 0.9)
        return (jnp.where(done, step, step * 0.5), done), None

    (step, _), _ = jax.lax.scan(body, (jnp.ones(()), False), None, length=30)
    return w - step * g


@jax.jit
def outer_grad_lax(w):
    return jax.grad(lambda w: jnp.sum(line_search_lax(w, 2.0 * w) ** 2))(w)


def _args(T):
    return (jax.random.normal(jax.random.key(128 + T), (4,)),)


CASE = dict(entry="outer_grad", rewrite="outer_grad_lax", args=_args,
            hazard="unsafe/while-under-grad", expect="unsafe", primitive="scan",
            unsafe_raise_note={"Reverse-mode differentiation": "reverse-differentiable"})
