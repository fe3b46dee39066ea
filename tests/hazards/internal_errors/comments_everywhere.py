"""Trap: comments on the loop header, between statements, at the end of the body at a deeper
and a shallower indentation, and blank lines inside the body."""
import jax


@jax.jit
def gru_like(W, h, xs: jax.Array):
    for x in xs:  # one step per input
        # the gate

        g = jax.nn.sigmoid(W @ h + x)  # (4,)

        h = g * h + (1 - g) * x
        # end of step
    # after the loop
    return h


# --- hand-written lax rewrite -------------------------------------------------------------

@jax.jit
def gru_like_lax(W, h, xs):
    def step(h, x):
        g = jax.nn.sigmoid(W @ h + x)
        return g * h + (1 - g) * x, None

    h, _ = jax.lax.scan(step, h, xs)
    return h


def _args(T):
    k1, k2, k3 = jax.random.split(jax.random.key(144), 3)
    return (jax.random.normal(k1, (4, 4)) / 3, jax.random.normal(k2, (4,)),
            jax.random.normal(k3, (T, 4)))


CASE = dict(entry="gru_like", rewrite="gru_like_lax", args=_args, hazard="internal/odd-syntax",
            expect="safe", primitive="scan")
