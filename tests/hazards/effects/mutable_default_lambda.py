"""Trap: a lambda with a mutable default that appends as part of an expression
(`buf.append(v) or len(buf)`): the mutation is not a statement of its own and the function is
not a `def`."""
import jax
import jax.numpy as jnp

push = lambda v, buf=[]: buf.append(v) or len(buf)  # noqa: E731,B006 - the hazard


@jax.jit
def smooth(h, xs: jax.Array):
    start = push(h)
    for x in xs:
        h = 0.5 * h + x / (push(h) - start)
    return h


# --- hand-written lax rewrite -------------------------------------------------------------

@jax.jit
def smooth_lax(h, xs):
    def step(carry, x):
        h, k = carry
        return (0.5 * h + x / k, k + 1), None

    (h, _), _ = jax.lax.scan(step, (h, jnp.ones((), h.dtype)), xs)
    return h


def _args(T):
    k1, k2 = jax.random.split(jax.random.key(46))
    return jax.random.normal(k1, (4,)), jax.random.normal(k2, (T, 4))


CASE = dict(entry="smooth", rewrite="smooth_lax", args=_args, hazard="effects/mutable-default",
            expect="refuse", primitive="scan")
