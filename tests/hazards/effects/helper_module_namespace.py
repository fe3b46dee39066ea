"""Trap: the update helper bumps an attribute of a module-level namespace
(`STATE.steps += 1`) and the caller reports the steps it took. Traced once in a scan step, the
count moves by one."""
import types

import jax

STATE = types.SimpleNamespace(steps=0)


def advance(h, x):
    STATE.steps += 1
    return 0.9 * h + x


@jax.jit
def integrate(h, xs: jax.Array):
    start = STATE.steps
    for x in xs:
        h = advance(h, x)
    return h, STATE.steps - start


# --- hand-written lax rewrite -------------------------------------------------------------

@jax.jit
def integrate_lax(h, xs):
    h, _ = jax.lax.scan(lambda h, x: (0.9 * h + x, None), h, xs)
    return h, xs.shape[0]


def _args(T):
    k1, k2 = jax.random.split(jax.random.key(37))
    return jax.random.normal(k1, (4,)), jax.random.normal(k2, (T, 4))


CASE = dict(entry="integrate", rewrite="integrate_lax", args=_args,
            hazard="effects/mutates-global", expect="refuse", primitive="scan",
            unsafe_raise_note={"unexpected tracer": "side effect"})
