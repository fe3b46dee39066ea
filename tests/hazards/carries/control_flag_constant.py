"""Control: `use_bias` is a Python bool set before the loop and never rebound: the `if` on it
is decided at trace time in the step as in the loop."""
import jax
import jax.numpy as jnp


@jax.jit
def biased(W, b, h, xs: jax.Array):
    use_bias = True
    for x in xs:
        h = jnp.tanh(W @ h + x)
        if use_bias:
            h = h + b
    return h


# --- hand-written lax rewrite -------------------------------------------------------------

@jax.jit
def biased_lax(W, b, h, xs):
    h, _ = jax.lax.scan(lambda h, x: (jnp.tanh(W @ h + x) + b, None), h, xs)
    return h


def _args(T):
    k1, k2, k3 = jax.random.split(jax.random.key(95), 3)
    return (jax.random.normal(k1, (4, 4)) / 3, jnp.full((4,), 0.1), jax.random.normal(k2, (4,)),
            jax.random.normal(k3, (T, 4)))


CASE = dict(entry="biased", rewrite="biased_lax", args=_args, hazard="carries/python-bool",
            expect="safe", primitive="scan")
