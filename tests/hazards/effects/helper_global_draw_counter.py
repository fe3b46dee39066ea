"""Trap: the noise helper numbers its draws with a module global (`DRAWS += 1`, folded into
the key), so each step gets fresh noise. Traced once in a scan step, every step would reuse the
first draw: different numbers, silently."""
import jax
import jax.numpy as jnp

DRAWS = 0


def noise(key, start):
    global DRAWS
    DRAWS += 1
    return jax.random.normal(jax.random.fold_in(key, DRAWS - start), (4,))


@jax.jit
def noisy_walk(key, h, xs: jax.Array):
    start = DRAWS
    for x in xs:
        h = 0.9 * h + x + 0.1 * noise(key, start)
    return h


# --- hand-written lax rewrite -------------------------------------------------------------

@jax.jit
def noisy_walk_lax(key, h, xs):
    def step(h, dx):
        d, x = dx
        return 0.9 * h + x + 0.1 * jax.random.normal(jax.random.fold_in(key, d), (4,)), None

    h, _ = jax.lax.scan(step, h, (jnp.arange(1, xs.shape[0] + 1), xs))
    return h


def _args(T):
    k1, k2 = jax.random.split(jax.random.key(38))
    return jax.random.key(39), jax.random.normal(k1, (4,)), jax.random.normal(k2, (T, 4))


CASE = dict(entry="noisy_walk", rewrite="noisy_walk_lax", args=_args,
            hazard="effects/mutates-global", expect="refuse", primitive="scan",
            unsafe_raise_note={"unexpected tracer": "side effect"})
