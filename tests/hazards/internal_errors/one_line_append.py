"""Trap: a one-line loop whose only statement is the per-step append
(`for x in xs: outs.append(jnp.tanh(W @ x))`)."""
import jax
import jax.numpy as jnp


@jax.jit
def project(W, xs: jax.Array):
    outs = []
    for x in xs: outs.append(jnp.tanh(W @ x))
    return jnp.stack(outs)


# --- hand-written lax rewrite -------------------------------------------------------------

@jax.jit
def project_lax(W, xs):
    _, outs = jax.lax.scan(lambda c, x: (c, jnp.tanh(W @ x)), 0, xs)
    return outs


def _args(T):
    k1, k2 = jax.random.split(jax.random.key(140))
    return jax.random.normal(k1, (4, 4)) / 3, jax.random.normal(k2, (T, 4))


CASE = dict(entry="project", rewrite="project_lax", args=_args, hazard="internal/one-line-for",
            expect="safe", primitive="scan")
