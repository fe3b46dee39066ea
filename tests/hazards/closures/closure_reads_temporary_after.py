"""Trap: `last_gate` is defined before the loop and called after it, but it reads `g`, a
temporary of the body that nothing else reads after the loop: Python gives the last step's
gate. A rewrite does not carry `g` out of the step, so the closure would raise NameError."""
import jax
import jax.numpy as jnp


@jax.jit
def gated(W, h, xs: jax.Array):
    def last_gate():
        return jnp.mean(g)

    for x in xs:
        g = jax.nn.sigmoid(W @ h + x)
        h = g * h + (1.0 - g) * x
    return h, last_gate()


# --- hand-written lax rewrite -------------------------------------------------------------

@jax.jit
def gated_lax(W, h, xs):
    def step(carry, x):
        h, _ = carry
        g = jax.nn.sigmoid(W @ h + x)
        return (g * h + (1.0 - g) * x, g), None

    (h, g), _ = jax.lax.scan(step, (h, jnp.zeros_like(h)), xs)
    return h, jnp.mean(g)


def _args(T):
    k1, k2, k3 = jax.random.split(jax.random.key(32), 3)
    return (jax.random.normal(k1, (4, 4)) / 3, jax.random.normal(k2, (4,)),
            jax.random.normal(k3, (T, 4)))


CASE = dict(entry="gated", rewrite="gated_lax", args=_args, hazard="closures/late-binding",
            expect="refuse", primitive="scan")
