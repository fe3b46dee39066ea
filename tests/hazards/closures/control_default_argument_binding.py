"""Control: `baseline(h0=h)` binds the starting state when it is defined (a default argument
is evaluated once), so it never sees the loop's later `h`: moving the loop into a scan step
changes nothing."""
import jax
import jax.numpy as jnp


@jax.jit
def drift(W, h, xs: jax.Array):
    def baseline(h0=h):
        return jnp.sum(h0)

    score = jnp.zeros(())
    for x in xs:
        h = jnp.tanh(W @ h + x)
        score = score + jnp.sum(h) - baseline()
    return score


# --- hand-written lax rewrite -------------------------------------------------------------

@jax.jit
def drift_lax(W, h, xs):
    base = jnp.sum(h)

    def step(carry, x):
        h, score = carry
        h = jnp.tanh(W @ h + x)
        return (h, score + jnp.sum(h) - base), None

    (_, score), _ = jax.lax.scan(step, (h, jnp.zeros(())), xs)
    return score


def _args(T):
    k1, k2, k3 = jax.random.split(jax.random.key(10), 3)
    return (jax.random.normal(k1, (4, 4)) / 3, jax.random.normal(k2, (4,)),
            jax.random.normal(k3, (T, 4)))


CASE = dict(entry="drift", rewrite="drift_lax", args=_args, hazard="closures/late-binding",
            expect="safe", primitive="scan")
