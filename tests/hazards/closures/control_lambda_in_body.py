"""Control: the lambda is created inside the body and reads the loop variable `k` and the
state: it moves into the step function with the body and sees the step's values."""
import jax
import jax.numpy as jnp


@jax.jit
def attend(q, keys: jax.Array):
    h = q
    for k in keys:
        score = lambda v: jnp.exp(jnp.dot(v, k) / 4.0)  # noqa: E731
        h = h + score(h) * k
    return h


# --- hand-written lax rewrite -------------------------------------------------------------

@jax.jit
def attend_lax(q, keys):
    def step(h, k):
        return h + jnp.exp(jnp.dot(h, k) / 4.0) * k, None

    h, _ = jax.lax.scan(step, q, keys)
    return h


def _args(T):
    k1, k2 = jax.random.split(jax.random.key(37))
    return jax.random.normal(k1, (4,)) / 2, jax.random.normal(k2, (T, 4)) / 2


CASE = dict(entry="attend", rewrite="attend_lax", args=_args, hazard="closures/late-binding",
            expect="safe", primitive="scan")
