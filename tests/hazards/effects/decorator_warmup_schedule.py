"""Trap: `@warmup` keeps the step number in its closure and scales the update by
min(1, t / 3). Traced once inside a scan step, every step would use the first step's scale."""
import jax
import jax.numpy as jnp


def warmup(fn):
    state = {"t": 0}

    def wrapped(w, g):
        state["t"] += 1
        return fn(w, g, min(1.0, state["t"] / 3))

    wrapped.reset = lambda: state.update(t=0)
    return wrapped


@warmup
def sgd(w, g, scale):
    return w - 0.1 * scale * g


@jax.jit
def fit(w, xs: jax.Array):
    sgd.reset()
    for x in xs:
        w = sgd(w, w - x)
    return w


# --- hand-written lax rewrite -------------------------------------------------------------

@jax.jit
def fit_lax(w, xs):
    def step(w, tx):
        t, x = tx
        return w - 0.1 * jnp.minimum(1.0, t / 3) * (w - x), None

    w, _ = jax.lax.scan(step, w, (jnp.arange(1, xs.shape[0] + 1), xs))
    return w


def _args(T):
    k1, k2 = jax.random.split(jax.random.key(29))
    return jax.random.normal(k1, (4,)), jax.random.normal(k2, (T, 4))


CASE = dict(entry="fit", rewrite="fit_lax", args=_args, hazard="effects/stateful-decorator",
            expect="refuse", primitive="scan",
            unsafe_raise_note={"unexpected tracer": "side effect"})
