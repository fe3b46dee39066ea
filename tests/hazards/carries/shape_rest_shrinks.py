"""Trap: `rest = rest[1:]` walks the sequence by shrinking it: the carry's shape changes
every step."""
import jax


@jax.jit
def consume(h, xs: jax.Array):
    rest = xs
    for _ in range(xs.shape[0]):
        h = 0.5 * h + rest[0]
        rest = rest[1:]
    return h


# --- hand-written lax rewrite -------------------------------------------------------------

@jax.jit
def consume_lax(h, xs):
    h, _ = jax.lax.scan(lambda h, x: (0.5 * h + x, None), h, xs)
    return h


def _args(T):
    k1, k2 = jax.random.split(jax.random.key(71))
    return jax.random.normal(k1, (4,)), jax.random.normal(k2, (T, 4))


CASE = dict(entry="consume", rewrite="consume_lax", args=_args, hazard="carries/shape-change",
            expect="refuse", primitive="scan",
            unsafe_raise_note={"carry output must have equal types": "shape"},
            XFAIL_SAFE=("WRONG-safe-raises after `rewrite as jax.lax.fori_loop carrying h, "
                        "rest`: candidate raises TypeError: scan body function carry input "
                        "and carry output must have equal types, but they differ:"),
            XFAIL_UNSAFE=("WRONG-safe-raises after `rewrite as jax.lax.fori_loop carrying "
                          "h, rest`: candidate raises TypeError: scan body function carry "
                          "input and carry output must have equal types, but they differ:"))
