"""Control: the Python int `n` counts steps and is only used as a number (`acc / n`): an
int32 carry computes the same (the count cannot overflow: it is at most the length)."""
import jax
import jax.numpy as jnp


@jax.jit
def mean(xs: jax.Array):
    acc = jnp.zeros(4)
    n = 0
    for x in xs:
        acc = acc + x
        n = n + 1
    return acc / n


# --- hand-written lax rewrite -------------------------------------------------------------

@jax.jit
def mean_lax(xs):
    def step(carry, x):
        acc, n = carry
        return (acc + x, n + 1), None

    (acc, n), _ = jax.lax.scan(step, (jnp.zeros(4), 0), xs)
    return acc / n


def _args(T):
    return (jax.random.normal(jax.random.key(58), (T, 4)),)


CASE = dict(entry="mean", rewrite="mean_lax", args=_args, hazard="carries/python-int",
            expect="safe", primitive="scan",
            XFAIL_COVERAGE=("refused: only unsafe: rewrite as jax.lax.scan carrying acc, n "
                            "(unsafe: `n` starts as a Python number: if the loop turns it "
                            "into an array of another shape, the rewrite raises a TypeError"
                            " at trace time)"))
