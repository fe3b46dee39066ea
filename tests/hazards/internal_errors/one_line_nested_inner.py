"""Trap: a one-line loop nested in an indented one (`for v in x: acc = acc + v * 0.5`)."""
import jax
import jax.numpy as jnp


@jax.jit
def double_sum(xs: jax.Array):
    acc = jnp.zeros(())
    for x in xs:
        for v in x: acc = acc + v * 0.5
    return acc


# --- hand-written lax rewrite -------------------------------------------------------------

@jax.jit
def double_sum_lax(xs):
    def outer(acc, x):
        acc, _ = jax.lax.scan(lambda a, v: (a + v * 0.5, None), acc, x)
        return acc, None

    acc, _ = jax.lax.scan(outer, jnp.zeros(()), xs)
    return acc


def _args(T):
    return (jax.random.normal(jax.random.key(141), (T, 4)),)


CASE = dict(entry="double_sum", rewrite="double_sum_lax", args=_args,
            hazard="internal/one-line-for", expect="safe", primitive="scan")
