"""Trap: `record` looks like an identity on its value but appends it to the list it is handed.
Traced once inside a scan step, it appends one tracer instead of one array per step, and the
stack after the loop leaks it (or stacks one element)."""
import jax
import jax.numpy as jnp


def record(trace, v):
    trace.append(v)
    return v


@jax.jit
def run(W, h, xs: jax.Array):
    trace = []
    for x in xs:
        h = record(trace, jnp.tanh(W @ h + x))
    return h, jnp.stack(trace)


# --- hand-written lax rewrite -------------------------------------------------------------

@jax.jit
def run_lax(W, h, xs):
    def step(h, x):
        h = jnp.tanh(W @ h + x)
        return h, h

    h, trace = jax.lax.scan(step, h, xs)
    return h, trace


def _args(T):
    k1, k2, k3 = jax.random.split(jax.random.key(20), 3)
    return (jax.random.normal(k1, (4, 4)) / 3, jax.random.normal(k2, (4,)),
            jax.random.normal(k3, (T, 4)))


CASE = dict(entry="run", rewrite="run_lax", args=_args, hazard="effects/mutates-argument",
            expect="refuse", primitive="scan",
            unsafe_raise_note={"unexpected tracer": "side effect"})
