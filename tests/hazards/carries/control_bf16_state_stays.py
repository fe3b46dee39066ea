"""Control: a bfloat16 state updated with bfloat16 values and Python scalars keeps its dtype:
the carry is stable and a scan computes the same."""
import jax
import jax.numpy as jnp


@jax.jit
def smooth(xs: jax.Array):
    h = jnp.zeros(4, jnp.bfloat16)
    for x in xs:
        h = h * 0.5 + x.astype(jnp.bfloat16) * 0.25
    return h


# --- hand-written lax rewrite -------------------------------------------------------------

@jax.jit
def smooth_lax(xs):
    h, _ = jax.lax.scan(lambda h, x: (h * 0.5 + x.astype(jnp.bfloat16) * 0.25, None),
                        jnp.zeros(4, jnp.bfloat16), xs)
    return h


def _args(T):
    return (jax.random.normal(jax.random.key(80), (T, 4)),)


CASE = dict(entry="smooth", rewrite="smooth_lax", args=_args, hazard="carries/dtype-change",
            expect="safe", primitive="scan")
