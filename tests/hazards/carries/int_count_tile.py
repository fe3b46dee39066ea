"""Trap: the step count `reps` is a static argument after the loop (`jnp.tile(h, reps)`):
as a traced carry it cannot be."""
import jax
import jax.numpy as jnp


@jax.jit
def repeat_state(h, xs: jax.Array):
    reps = 0
    for x in xs:
        h = jnp.tanh(h + x)
        reps = reps + 1
    return jnp.tile(h, reps)


# --- hand-written lax rewrite -------------------------------------------------------------

@jax.jit
def repeat_state_lax(h, xs):
    h, _ = jax.lax.scan(lambda h, x: (jnp.tanh(h + x), None), h, xs)
    return jnp.tile(h, xs.shape[0])


def _args(T):
    k1, k2 = jax.random.split(jax.random.key(57))
    return jax.random.normal(k1, (4,)), jax.random.normal(k2, (T, 4))


CASE = dict(entry="repeat_state", rewrite="repeat_state_lax", args=_args,
            hazard="carries/python-int", expect="refuse", primitive="scan",
            unsafe_raise_note={"Concretization": ("static", "Python int"),
                               "TracerIntegerConversion": ("static", "Python int"),
                               "TracerBoolConversion": ("static", "Python int"),
                               "Slice entries": ("static", "Python int")},
            XFAIL_UNSAFE=("WRONG-unsafe-unnamed after `rewrite as jax.lax.scan carrying h, "
                          "reps`: candidate raises TypeError: As of JAX v0.7, parameters to"
                          " jaxpr equations must have __hash__ and __eq__ methods. In a "
                          "call to primitive tile, the value of parameter reps was not "
                          "hashable: (JitTracer(~int32[]),)"))
