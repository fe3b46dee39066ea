"""Trap: `range(0, min(n, 8), 2)` with a traced `n`: Python's `min` on a tracer raises
wherever it stays, and a traced bound with a step is no fori_loop either."""
import jax
import jax.numpy as jnp


@jax.jit
def even_sum(xs: jax.Array, n):
    acc = jnp.zeros(())
    for i in range(0, min(n, 8), 2):
        acc = acc + xs[i]
    return acc


# --- hand-written lax rewrite -------------------------------------------------------------

@jax.jit
def even_sum_lax(xs, n):
    bound = jnp.minimum(n, 8)
    acc, _ = jax.lax.scan(lambda a, i: (jnp.where(i < bound, a + xs[i], a), None),
                          jnp.zeros(()), jnp.arange(0, 8, 2))
    return acc


def _args(T):
    return jax.random.normal(jax.random.key(139), (8,)), jnp.int32(T)


CASE = dict(entry="even_sum", rewrite="even_sum_lax", args=_args,
            hazard="unsafe/min-traced-bound", expect="unsafe", primitive="scan",
            unsafe_raise_note={"TracerBoolConversion": ("min(", "`min`")})
