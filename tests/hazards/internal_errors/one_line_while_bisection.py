"""Trap: a one-line `while` whose body is one long tuple assignment
(`while hi - lo > tol: lo, hi = jnp.where(...), jnp.where(...)`): bisection for a cube root."""
import jax
import jax.numpy as jnp


def _mid(lo, hi):
    return 0.5 * (lo + hi)


@jax.jit
def cube_root(a, tol):
    lo, hi = jnp.zeros(()), jnp.maximum(a, 1.0)
    while hi - lo > tol: lo, hi = jnp.where(_mid(lo, hi) ** 3 < a, _mid(lo, hi), lo), jnp.where(_mid(lo, hi) ** 3 < a, hi, _mid(lo, hi))  # noqa: E501
    return lo, hi


# --- hand-written lax rewrite -------------------------------------------------------------

@jax.jit
def cube_root_lax(a, tol):
    def body(c):
        lo, hi = c
        m = _mid(lo, hi)
        below = m ** 3 < a
        return jnp.where(below, m, lo), jnp.where(below, hi, m)

    return jax.lax.while_loop(lambda c: c[1] - c[0] > tol, body,
                              (jnp.zeros(()), jnp.maximum(a, 1.0)))


def _args(T):
    return jnp.float32(2.0 * T), jnp.float32(1e-3)


CASE = dict(entry="cube_root", rewrite="cube_root_lax", args=_args,
            hazard="internal/one-line-while", expect="unsafe", primitive="while",
            differentiable=False,
            unsafe_raise_note={"Reverse-mode differentiation": "reverse-differentiable"})
