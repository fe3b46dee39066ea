"""Trap: a plain Python object made before the loop records each state through a method
(`tracker.record(h)`), and the caller returns how many it saw. The call looks like a method of
an unknown object; its class is in the module and the method appends to `self.seen`."""
import jax
import jax.numpy as jnp


class Tracker:
    def __init__(self):
        self.seen = []

    def record(self, v):
        self.seen.append(v)
        return v


@jax.jit
def watch(h, xs: jax.Array):
    tracker = Tracker()
    for x in xs:
        h = tracker.record(0.5 * h + x)
    return h, len(tracker.seen)


# --- hand-written lax rewrite -------------------------------------------------------------

@jax.jit
def watch_lax(h, xs):
    h, _ = jax.lax.scan(lambda h, x: (0.5 * h + x, None), h, xs)
    return h, xs.shape[0]


def _args(T):
    k1, k2 = jax.random.split(jax.random.key(44))
    return jax.random.normal(k1, (4,)), jax.random.normal(k2, (T, 4))


CASE = dict(entry="watch", rewrite="watch_lax", args=_args, hazard="effects/mutates-argument",
            expect="refuse", primitive="scan")
