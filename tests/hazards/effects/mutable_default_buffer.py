"""Trap: `push(v, buf=[])` grows a mutable default with `buf += [v]` and returns its length;
the loop scales each input by how many states it pushed this call. In a scan step `push` runs
once per trace, so every step gets the first step's scale."""
import jax
import jax.numpy as jnp


def push(v, buf=[]):  # noqa: B006 - the hazard
    buf += [v]
    return len(buf)


@jax.jit
def smooth(h, xs: jax.Array):
    start = push(h)
    for x in xs:
        h = 0.5 * h + x / (push(h) - start)
    return h


# --- hand-written lax rewrite -------------------------------------------------------------

@jax.jit
def smooth_lax(h, xs):
    def step(h, kx):
        k, x = kx
        return 0.5 * h + x / k, None

    h, _ = jax.lax.scan(step, h, (jnp.arange(1, xs.shape[0] + 1), xs))
    return h


def _args(T):
    k1, k2 = jax.random.split(jax.random.key(27))
    return jax.random.normal(k1, (4,)), jax.random.normal(k2, (T, 4))


CASE = dict(entry="smooth", rewrite="smooth_lax", args=_args, hazard="effects/mutable-default",
            expect="refuse", primitive="scan",
            unsafe_raise_note={"unexpected tracer": "side effect"})
