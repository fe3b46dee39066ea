"""Trap: `next_step(counter=[0])` keeps a step count in its mutable default; the learning
rate decays with the steps counted since the call began. In a scan step it is called once, so
every step gets the first step's rate."""
import jax
import jax.numpy as jnp


def next_step(counter=[0]):  # noqa: B006 - the hazard
    counter[0] += 1
    return counter[0]


@jax.jit
def fit(w, xs: jax.Array):
    start = next_step()
    for x in xs:
        lr = 0.5 / (next_step() - start)
        w = w - lr * (w - x)
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
    k1, k2 = jax.random.split(jax.random.key(25))
    return jax.random.normal(k1, (4,)), jax.random.normal(k2, (T, 4))


CASE = dict(entry="fit", rewrite="fit_lax", args=_args, hazard="effects/mutable-default",
            expect="refuse", primitive="scan",
            unsafe_raise_note={"unexpected tracer": "side effect"})
