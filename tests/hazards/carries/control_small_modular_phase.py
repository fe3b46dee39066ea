"""Control: a Python int phase `(phase * 5 + 1) % 16` that never leaves [0, 16): as an int32
carry it computes the same numbers (nothing can overflow)."""
import jax
import jax.numpy as jnp


@jax.jit
def phased(xs: jax.Array):
    phase = 3
    acc = jnp.zeros(4)
    for x in xs:
        phase = (phase * 5 + 1) % 16
        acc = acc + x * phase
    return acc


# --- hand-written lax rewrite -------------------------------------------------------------

@jax.jit
def phased_lax(xs):
    def step(carry, x):
        acc, phase = carry
        phase = (phase * 5 + 1) % 16
        return (acc + x * phase, phase), None

    (acc, _), _ = jax.lax.scan(step, (jnp.zeros(4), 3), xs)
    return acc


def _args(T):
    return (jax.random.normal(jax.random.key(102), (T, 4)),)


CASE = dict(entry="phased", rewrite="phased_lax", args=_args, hazard="carries/int-overflow",
            expect="safe", primitive="scan",
            XFAIL_COVERAGE=("refused: only unsafe: rewrite as jax.lax.scan carrying phase, "
                            "acc (unsafe: `phase` starts as a Python number: if the loop "
                            "turns it into an array of another shape, the rewrite raises a "
                            "TypeError at trace time)"))
