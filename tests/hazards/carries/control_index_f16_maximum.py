"""Control: `jnp.maximum(xs[i], i)` with float16 data: an int32 index promotes to float16
as a weak Python int does, so the traced index gives the same dtype and values."""
import jax
import jax.numpy as jnp


@jax.jit
def floor_by_step(xs: jax.Array):
    outs = []
    for i in range(xs.shape[0]):
        outs.append(jnp.maximum(xs[i], i))
    return jnp.stack(outs)


# --- hand-written lax rewrite -------------------------------------------------------------

@jax.jit
def floor_by_step_lax(xs):
    _, outs = jax.lax.scan(lambda c, i: (c, jnp.maximum(xs[i], i)), 0, jnp.arange(xs.shape[0]))
    return outs


def _args(T):
    return (jax.random.normal(jax.random.key(85), (T, 4)).astype(jnp.float16) * 3,)


CASE = dict(entry="floor_by_step", rewrite="floor_by_step_lax", args=_args,
            hazard="carries/loop-index-dtype", expect="safe", primitive="scan")
