"""Control: the optional `mask=None` argument is tested in the body (`if mask is not None:`)
but never rebound: the test is static in the step as in the loop."""
import jax
import jax.numpy as jnp


@jax.jit
def masked_sum(xs: jax.Array, mask=None):
    acc = jnp.zeros(4)
    for x in xs:
        if mask is not None:
            x = x * mask
        acc = acc + x
    return acc


# --- hand-written lax rewrite -------------------------------------------------------------

@jax.jit
def masked_sum_lax(xs, mask=None):
    acc, _ = jax.lax.scan(lambda a, x: (a + x, None), jnp.zeros(4), xs)
    return acc


def _args(T):
    return (jax.random.normal(jax.random.key(100), (T, 4)),)


CASE = dict(entry="masked_sum", rewrite="masked_sum_lax", args=_args, hazard="carries/none",
            expect="safe", primitive="scan")
