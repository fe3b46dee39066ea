"""Trap: a `global` step counter, bumped in the loop body, sets the learning rate. Carried
through a scan, the global would end up holding a tracer (and later calls read it)."""
import jax
import jax.numpy as jnp

STEP = 0


@jax.jit
def fit(w, xs: jax.Array):
    global STEP
    start = STEP
    for x in xs:
        STEP += 1
        w = w - 0.5 / (STEP - start) * (w - x)
    return w


# --- hand-written lax rewrite -------------------------------------------------------------

@jax.jit
def fit_lax(w, xs):
    def step(w, kx):
        k, x = kx
        return w - 0.5 / k * (w - x), None

    w, _ = jax.lax.scan(step, w, (jnp.arange(1, xs.shape[0] + 1), xs))
    return w


def _args(T):
    k1, k2 = jax.random.split(jax.random.key(63))
    return jax.random.normal(k1, (4,)), jax.random.normal(k2, (T, 4))


CASE = dict(entry="fit", rewrite="fit_lax", args=_args, hazard="carries/global-nonlocal",
            expect="refuse", primitive="scan",
            unsafe_raise_note={"unexpected tracer": "global"},
            XFAIL_SAFE=("WRONG-safe-raises after `rewrite as jax.lax.scan carrying STEP, "
                        "w`: candidate raises UnexpectedTracerError: Encountered an "
                        "unexpected tracer. A function transformed by JAX had a side "
                        "effect, allowing for a reference to an intermediate value with "
                        "type int32[] wrapped in a DynamicJaxprTracer to escape the scope "
                        "of the transformation."),
            XFAIL_UNSAFE=("WRONG-safe-raises after `rewrite as jax.lax.scan carrying STEP, "
                          "w`: candidate raises UnexpectedTracerError: Encountered an "
                          "unexpected tracer. A function transformed by JAX had a side "
                          "effect, allowing for a reference to an intermediate value with "
                          "type int32[] wrapped in a DynamicJaxprTracer to escape the scope"
                          " of the transformation."))
