"""Trap: `range(min(n, 8) - 1)` with a traced `n`: the `min` sits inside an expression, so a
rewrite that keeps the bound as it is still calls Python's `min` on a tracer."""
import jax
import jax.numpy as jnp


@jax.jit
def differences(xs: jax.Array, n):
    acc = jnp.zeros(())
    for i in range(min(n, 8) - 1):
        acc = acc + (xs[i + 1] - xs[i]) ** 2
    return acc


# --- hand-written lax rewrite -------------------------------------------------------------

@jax.jit
def differences_lax(xs, n):
    return jax.lax.fori_loop(0, jnp.minimum(n, 8) - 1,
                             lambda i, a: a + (xs[i + 1] - xs[i]) ** 2, jnp.zeros(()))


def _args(T):
    return jax.random.normal(jax.random.key(140), (8,)), jnp.int32(T)


CASE = dict(entry="differences", rewrite="differences_lax", args=_args,
            hazard="unsafe/min-traced-bound", expect="unsafe", primitive="while",
            differentiable=False, unsafe_raise_note={"TracerBoolConversion": ("min(", "`min`")})
