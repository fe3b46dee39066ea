"""Control: `zip(xs, ys)` where `ys` is computed from `xs` in the function (`ys = xs * 2.0`):
the lengths are equal by construction, so a scan over both is exact."""
import jax
import jax.numpy as jnp


@jax.jit
def paired(h, xs: jax.Array):
    ys = xs * 2.0
    for x, y in zip(xs, ys):
        h = jnp.tanh(h + x - 0.1 * y)
    return h


# --- hand-written lax rewrite -------------------------------------------------------------

@jax.jit
def paired_lax(h, xs):
    h, _ = jax.lax.scan(lambda h, xy: (jnp.tanh(h + xy[0] - 0.1 * xy[1]), None), h,
                        (xs, xs * 2.0))
    return h


def _args(T):
    k1, k2 = jax.random.split(jax.random.key(136))
    return jax.random.normal(k1, (4,)), jax.random.normal(k2, (T, 4))


CASE = dict(entry="paired", rewrite="paired_lax", args=_args, hazard="unsafe/zip-unequal",
            expect="safe", primitive="scan",
            XFAIL_COVERAGE=("refused: only unsafe: rewrite as jax.lax.scan carrying h "
                            "(unsafe: jax.lax.scan raises where `zip` would silently stop "
                            "at the shortest array)"))
