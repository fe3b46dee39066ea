"""Newton's method for sqrt(a), run for a traced number of iterations."""
import jax
import jax.numpy as jnp


@jax.jit
def newton_sqrt(a, x, n_iters):
    def newton_sqrt_step(i, x):
        x = 0.5 * (x + a / x)
        return x
    x = jax.lax.fori_loop(0, n_iters, newton_sqrt_step, x)
    return x


def _args(T):
    return jnp.linspace(0.5, 9.0, 6), jnp.ones(6), jnp.int32(T)


CASE = dict(entry="newton_sqrt", args=_args, grad="auto", unsafe=True, primitive="while",
            differentiable=False, trip_counts=(4, 16))
