"""Trap: power iteration `while (delta := jnp.linalg.norm(v_new - v)) > tol`, where `v_new`
is computed in the body and `delta` is returned as the convergence report."""
import jax
import jax.numpy as jnp


@jax.jit
def power_iteration(A, v, tol):
    v_new = A @ v / jnp.linalg.norm(A @ v)
    while (delta := jnp.linalg.norm(v_new - v)) > tol:
        v = v_new
        v_new = A @ v / jnp.linalg.norm(A @ v)
    return v_new, delta


# --- hand-written lax rewrite -------------------------------------------------------------

@jax.jit
def power_iteration_lax(A, v, tol):
    def body(carry):
        v, v_new, _ = carry
        v = v_new
        v_new = A @ v / jnp.linalg.norm(A @ v)
        return v, v_new, jnp.linalg.norm(v_new - v)

    v_new = A @ v / jnp.linalg.norm(A @ v)
    _, v_new, delta = jax.lax.while_loop(lambda c: c[2] > tol, body,
                                         (v, v_new, jnp.linalg.norm(v_new - v)))
    return v_new, delta


def _args(T):
    M = jax.random.normal(jax.random.key(130), (4, 4))
    A = M @ M.T + jnp.diag(jnp.array([4.0, 1.0, 0.5, 0.1]))
    return A, jnp.ones(4) / 2.0, jnp.float32(1e-2 / T)


CASE = dict(entry="power_iteration", rewrite="power_iteration_lax", args=_args,
            hazard="unsafe/walrus-while", expect="unsafe", primitive="while",
            differentiable=False,
            unsafe_raise_note={"Reverse-mode differentiation": "reverse-differentiable"})
