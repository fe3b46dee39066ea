"""Trap: `range(min(n, k_max, xs.shape[0]))` (three arguments) with a traced `n`: Python's
`min` on a tracer raises in any rewrite that keeps it."""
import jax
import jax.numpy as jnp


@jax.jit
def capped_sum(xs: jax.Array, n):
    k_max = 6
    acc = jnp.zeros(())
    for i in range(min(n, k_max, xs.shape[0])):
        acc = acc + xs[i] * 0.5
    return acc


# --- hand-written lax rewrite -------------------------------------------------------------

@jax.jit
def capped_sum_lax(xs, n):
    bound = jnp.minimum(n, min(6, xs.shape[0]))
    acc, _ = jax.lax.scan(lambda a, i: (jnp.where(i < bound, a + xs[i] * 0.5, a), None),
                          jnp.zeros(()), jnp.arange(min(6, xs.shape[0])))
    return acc


def _args(T):
    return jax.random.normal(jax.random.key(134), (8,)), jnp.int32(T)


CASE = dict(entry="capped_sum", rewrite="capped_sum_lax", args=_args,
            hazard="unsafe/min-traced-bound", expect="unsafe", primitive="scan",
            unsafe_raise_note={"TracerBoolConversion": ("min(", "`min`")})
