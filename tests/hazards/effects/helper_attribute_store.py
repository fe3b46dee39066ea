"""Trap: `observe` bumps an attribute of the meter it is handed. Traced once in a scan step,
the count after the loop says 1 instead of the number of steps."""
import jax


class Meter:
    def __init__(self):
        self.count = 0


def observe(meter, v):
    meter.count += 1
    return v


@jax.jit
def smooth(h, xs: jax.Array):
    meter = Meter()
    for x in xs:
        h = observe(meter, 0.8 * h + 0.2 * x)
    return h, meter.count


# --- hand-written lax rewrite -------------------------------------------------------------

@jax.jit
def smooth_lax(h, xs):
    h, _ = jax.lax.scan(lambda h, x: (0.8 * h + 0.2 * x, None), h, xs)
    return h, xs.shape[0]


def _args(T):
    k1, k2 = jax.random.split(jax.random.key(22))
    return jax.random.normal(k1, (4,)), jax.random.normal(k2, (T, 4))


CASE = dict(entry="smooth", rewrite="smooth_lax", args=_args,
            hazard="effects/mutates-argument", expect="refuse", primitive="scan",
            unsafe_raise_note={"unexpected tracer": "side effect"})
