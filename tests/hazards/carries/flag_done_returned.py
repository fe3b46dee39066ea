"""Trap: `done` starts as the Python bool False and becomes a traced bool after one step
(`done | (...)`); it is returned. The rewrite must not change its dtype, weak type or
structure, and at T = 0 Python returns the bool False itself."""
import jax
import jax.numpy as jnp


@jax.jit
def accumulate_until(h, xs: jax.Array):
    done = False
    for x in xs:
        h = jnp.where(done, h, h + x)
        done = done | (jnp.sum(h) > 3.0)
    return h, done


# --- hand-written lax rewrite -------------------------------------------------------------

@jax.jit
def accumulate_until_lax(h, xs):
    def step(carry, x):
        h, done = carry
        h = jnp.where(done, h, h + x)
        return (h, done | (jnp.sum(h) > 3.0)), None

    (h, done), _ = jax.lax.scan(step, (h, jnp.bool_(False)), xs)
    return h, done


def _args(T):
    k1, k2 = jax.random.split(jax.random.key(43))
    return jax.random.normal(k1, (4,)), jax.random.normal(k2, (T, 4))


CASE = dict(entry="accumulate_until", rewrite="accumulate_until_lax", args=_args,
            hazard="carries/python-bool", expect="refuse", primitive="scan",
            unsafe_raise_note={"TracerBoolConversion": "bool"})
