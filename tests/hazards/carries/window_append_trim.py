"""Trap: `hist` starts with one state, gets `hist.append(h)` then `hist = hist[-2:]`: a list
built in the body, but also read from the previous step, whose length goes from 1 to 2."""
import jax


@jax.jit
def second_order(h, xs: jax.Array):
    hist = [h]
    for x in xs:
        h = 0.6 * hist[-1] + 0.3 * hist[0] + x
        hist.append(h)
        hist = hist[-2:]
    return h


# --- hand-written lax rewrite -------------------------------------------------------------

@jax.jit
def second_order_lax(h, xs):
    def step(carry, x):
        older, last = carry
        h = 0.6 * last + 0.3 * older + x
        return (last, h), None

    # step 0 reads hist = [h]: hist[0] and hist[-1] are both the start
    (_, h), _ = jax.lax.scan(step, (h, h), xs)
    return h


def _args(T):
    k1, k2 = jax.random.split(jax.random.key(49))
    return jax.random.normal(k1, (4,)), jax.random.normal(k2, (T, 4))


CASE = dict(entry="second_order", rewrite="second_order_lax", args=_args,
            hazard="carries/python-list", expect="refuse", primitive="scan",
            unsafe_raise_note={"pytree structure": ("list", "structure")},
            XFAIL_SAFE=("WRONG-safe-raises after `rewrite as jax.lax.scan carrying h, "
                        "hist`: candidate raises TypeError: scan body function carry input "
                        "and carry output must have the same pytree structure, but they "
                        "differ:"),
            XFAIL_UNSAFE=("WRONG-safe-raises after `rewrite as jax.lax.scan carrying h, "
                          "hist`: candidate raises TypeError: scan body function carry "
                          "input and carry output must have the same pytree structure, but "
                          "they differ:"))
