"""Trap: `acc = 0.0` with float16 inputs: a weak Python scalar start that becomes float16.
scan promotes the start, so T >= 1 agrees; at T = 0 Python returns the float 0.0 (weak
float32) and the scan a float16 zero."""
import jax
import jax.numpy as jnp


@jax.jit
def energy(xs: jax.Array):
    acc = 0.0
    for x in xs:
        acc = acc + jnp.sum(x * x)
    return acc


# --- hand-written lax rewrite -------------------------------------------------------------

@jax.jit
def energy_lax(xs):
    if xs.shape[0] == 0:            # static: Python's result for an empty loop
        return 0.0
    acc, _ = jax.lax.scan(lambda a, x: (a + jnp.sum(x * x), None), 0.0 + jnp.sum(xs[0] * xs[0]),
                          xs[1:])
    return acc


def _args(T):
    return (jax.random.normal(jax.random.key(78), (T, 4)).astype(jnp.float16),)


CASE = dict(entry="energy", rewrite="energy_lax", args=_args, hazard="carries/dtype-change",
            expect="unsafe", primitive="scan", trip_counts=(0, 3), unsafe_t0_note="T = 0",
            XFAIL_UNSAFE=("WRONG-unsafe-silent after `rewrite as jax.lax.scan carrying "
                          "acc`: aval: out: aval ~float32[] != float16[] (reference != "
                          "candidate)"))
