"""Trap: a Park-Miller generator in Python ints (`seed * 48271 % 2147483647`): Python ints
are unbounded, a traced int32 carry wraps around and gives other noise, silently."""
import jax
import jax.numpy as jnp


@jax.jit
def noisy(h, xs: jax.Array):
    seed = 12345
    for x in xs:
        seed = seed * 48271 % 2147483647
        h = 0.9 * h + x * (seed / 2147483647)
    return h


# --- hand-written lax rewrite -------------------------------------------------------------

@jax.jit
def noisy_lax(h, xs):
    def step(carry, x):
        h, seed = carry
        # Schrage's method: seed * a mod m without leaving int32
        seed = 48271 * (seed % 44488) - 3399 * (seed // 44488)
        seed = jnp.where(seed < 0, seed + 2147483647, seed)
        return (0.9 * h + x * (seed / 2147483647), seed), None

    (h, _), _ = jax.lax.scan(step, (h, jnp.int32(12345)), xs)
    return h


def _args(T):
    k1, k2 = jax.random.split(jax.random.key(59))
    return jax.random.normal(k1, (4,)), jax.random.normal(k2, (T, 4))


CASE = dict(entry="noisy", rewrite="noisy_lax", args=_args, hazard="carries/int-overflow",
            expect="refuse", primitive="scan",
            XFAIL_UNSAFE=("WRONG-unsafe-silent after `rewrite as jax.lax.scan carrying "
                          "seed, h`: values: out: values differ"))
