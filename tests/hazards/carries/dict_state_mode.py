"""Trap: a dict state `{"h": ..., "mode": "warm"}` whose string entry picks the update and
changes after the first step: a str inside the carry."""
import jax
import jax.numpy as jnp


@jax.jit
def run(h, xs: jax.Array):
    state = {"h": h, "mode": "warm"}
    for x in xs:
        scale = 0.1 if state["mode"] == "warm" else 1.0
        state = {"h": 0.5 * state["h"] + scale * x, "mode": "hot"}
    return state["h"]


# --- hand-written lax rewrite -------------------------------------------------------------

@jax.jit
def run_lax(h, xs):
    scales = jnp.where(jnp.arange(xs.shape[0]) == 0, 0.1, 1.0)
    h, _ = jax.lax.scan(lambda h, sx: (0.5 * h + sx[0] * sx[1], None), h, (scales, xs))
    return h


def _args(T):
    k1, k2 = jax.random.split(jax.random.key(70))
    return jax.random.normal(k1, (4,)), jax.random.normal(k2, (T, 4))


CASE = dict(entry="run", rewrite="run_lax", args=_args, hazard="carries/tuple-state",
            expect="refuse", primitive="scan",
            unsafe_raise_note={"not a valid JAX type": ("str", "string")},
            XFAIL_SAFE=("WRONG-safe-raises after `rewrite as jax.lax.scan carrying state`: "
                        "candidate raises TypeError: Argument 'warm' of type <class 'str'> "
                        "is not a valid JAX type"),
            XFAIL_UNSAFE=("WRONG-safe-raises after `rewrite as jax.lax.scan carrying "
                          "state`: candidate raises TypeError: Argument 'warm' of type "
                          "<class 'str'> is not a valid JAX type"))
