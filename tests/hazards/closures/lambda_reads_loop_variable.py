"""Trap: the lambda `score` is defined before the loop and reads the loop variable `k`. In
Python it sees the current key; once the loop becomes a scan step, `k` is no longer a name of
`attend` at all, and the lambda raises NameError (or reads a global `k`)."""
import jax
import jax.numpy as jnp


@jax.jit
def attend(q, keys: jax.Array, values: jax.Array):
    score = lambda: jnp.exp(jnp.dot(q, k) / 2.0)  # noqa: E731
    num = jnp.zeros_like(q)
    den = jnp.zeros(())
    for k, v in zip(keys, values):
        num = num + score() * v
        den = den + score()
    return num / den


# --- hand-written lax rewrite -------------------------------------------------------------

@jax.jit
def attend_lax(q, keys, values):
    def step(carry, kv):
        num, den = carry
        k, v = kv
        s = jnp.exp(jnp.dot(q, k) / 2.0)
        return (num + s * v, den + s), None

    (num, den), _ = jax.lax.scan(step, (jnp.zeros_like(q), jnp.zeros(())), (keys, values))
    return num / den


def _args(T):
    k1, k2, k3 = jax.random.split(jax.random.key(3), 3)
    return (jax.random.normal(k1, (4,)), jax.random.normal(k2, (T, 4)),
            jax.random.normal(k3, (T, 4)))


CASE = dict(entry="attend", rewrite="attend_lax", args=_args, hazard="closures/late-binding",
            expect="refuse", primitive="scan")
