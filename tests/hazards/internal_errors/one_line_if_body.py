"""Trap: a one-line body that is itself a compound-looking statement on one line with a
conditional expression and a lambda (`for x in xs: h = (lambda v: v * 0.5)(h) + x`)."""
import jax


@jax.jit
def halve_add(h, xs: jax.Array):
    for x in xs: h = (lambda v: v * 0.5)(h) + (x if x.ndim == 1 else x[0])
    return h


# --- hand-written lax rewrite -------------------------------------------------------------

@jax.jit
def halve_add_lax(h, xs):
    h, _ = jax.lax.scan(lambda h, x: (h * 0.5 + x, None), h, xs)
    return h


def _args(T):
    k1, k2 = jax.random.split(jax.random.key(151))
    return jax.random.normal(k1, (4,)), jax.random.normal(k2, (T, 4))


CASE = dict(entry="halve_add", rewrite="halve_add_lax", args=_args,
            hazard="internal/one-line-for", expect="safe", primitive="scan")
