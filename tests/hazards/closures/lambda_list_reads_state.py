"""Trap: readout heads built by a comprehension of lambdas before the loop
(`[lambda k=k: h[k] ...]`): the default binds the head's index early, but each lambda reads
`h` late. The lambdas sit in a list, reached by no name."""
import jax
import jax.numpy as jnp


@jax.jit
def heads(W, h, xs: jax.Array):
    readouts = [lambda k=k: h[k] for k in range(2)]
    total = jnp.zeros(())
    for x in xs:
        h = jnp.tanh(W @ h + x)
        total = total + readouts[0]() * readouts[1]()
    return total


# --- hand-written lax rewrite -------------------------------------------------------------

@jax.jit
def heads_lax(W, h, xs):
    def step(carry, x):
        h, total = carry
        h = jnp.tanh(W @ h + x)
        return (h, total + h[0] * h[1]), None

    (_, total), _ = jax.lax.scan(step, (h, jnp.zeros(())), xs)
    return total


def _args(T):
    k1, k2, k3 = jax.random.split(jax.random.key(34), 3)
    return (jax.random.normal(k1, (4, 4)) / 3, jax.random.normal(k2, (4,)),
            jax.random.normal(k3, (T, 4)))


CASE = dict(entry="heads", rewrite="heads_lax", args=_args, hazard="closures/late-binding",
            expect="refuse", primitive="scan")
