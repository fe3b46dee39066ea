"""Trap: a one-line loop body (`for x in xs: h = cell(W, h, x)`), a libcst
SimpleStatementSuite rather than an indented block."""
import jax
import jax.numpy as jnp


def cell(W, h, x):
    return jnp.tanh(W @ h + x)


@jax.jit
def encode(W, h, xs):
    for x in xs: h = cell(W, h, x)
    return h


# --- hand-written lax rewrite -------------------------------------------------------------

@jax.jit
def encode_lax(W, h, xs):
    h, _ = jax.lax.scan(lambda h, x: (cell(W, h, x), None), h, xs)
    return h


def _args(T):
    k1, k2, k3 = jax.random.split(jax.random.key(0), 3)
    return (jax.random.normal(k1, (4, 4)) / 3, jax.random.normal(k2, (4,)),
            jax.random.normal(k3, (T, 4)))


CASE = dict(entry="encode", rewrite="encode_lax", args=_args, hazard="internal/one-line-for",
            expect="safe", primitive="scan",
            XFAIL_COVERAGE=("refused: only unsafe: rewrite as jax.lax.scan carrying h "
                            "(unsafe: `xs` is assumed to be an array; a list of arrays "
                            "would be scanned leaf by leaf)"))
