"""Trap: the helper never names its parameter when it mutates: it appends through an alias
(`buf = trace`), so a check that looks only for `<parameter>.append` misses the effect."""
import jax
import jax.numpy as jnp


def record(trace, v):
    buf = trace
    buf.append(v)
    return v


@jax.jit
def run(W, h, xs: jax.Array):
    trace = []
    for x in xs:
        h = record(trace, jnp.tanh(W @ h + x))
    return h, len(trace)


# --- hand-written lax rewrite -------------------------------------------------------------

@jax.jit
def run_lax(W, h, xs):
    h, _ = jax.lax.scan(lambda h, x: (jnp.tanh(W @ h + x), None), h, xs)
    return h, xs.shape[0]


def _args(T):
    k1, k2, k3 = jax.random.split(jax.random.key(42), 3)
    return (jax.random.normal(k1, (4, 4)) / 3, jax.random.normal(k2, (4,)),
            jax.random.normal(k3, (T, 4)))


CASE = dict(entry="run", rewrite="run_lax", args=_args, hazard="effects/mutates-argument",
            expect="refuse", primitive="scan")
