"""Trap: a bare string statement (a docstring-like note) as the first statement of the body,
and `pass` / `...` statements."""
import jax


@jax.jit
def leaky(h, xs: jax.Array):
    for x in xs:
        """One leaky-integrator step."""
        h = 0.9 * h + 0.1 * x
        pass
        ...
    return h


# --- hand-written lax rewrite -------------------------------------------------------------

@jax.jit
def leaky_lax(h, xs):
    h, _ = jax.lax.scan(lambda h, x: (0.9 * h + 0.1 * x, None), h, xs)
    return h


def _args(T):
    k1, k2 = jax.random.split(jax.random.key(146))
    return jax.random.normal(k1, (4,)), jax.random.normal(k2, (T, 4))


CASE = dict(entry="leaky", rewrite="leaky_lax", args=_args, hazard="internal/odd-syntax",
            expect="safe", primitive="scan")
