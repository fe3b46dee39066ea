"""Trap: the loop index as a value with int8 data: `jnp.maximum(xs[i], i)` is int8 while `i`
is a weakly typed Python int, int32 once `i` is a traced index. The outputs turn int32,
silently."""
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
    def step(c, i):
        return c, jnp.maximum(xs[i], i.astype(xs.dtype))

    _, outs = jax.lax.scan(step, 0, jnp.arange(xs.shape[0]))
    return outs


def _args(T):
    return (jax.random.randint(jax.random.key(81), (T, 4), -5, 5).astype(jnp.int8),)


CASE = dict(entry="floor_by_step", rewrite="floor_by_step_lax", args=_args,
            hazard="carries/loop-index-dtype", expect="refuse", primitive="scan",
            XFAIL_SAFE=("WRONG-safe-silent after `rewrite as jax.vmap over independent "
                        "steps with per-step outputs outs`: aval: out: aval int8[2,4] != "
                        "int32[2,4] (reference != candidate)"),
            XFAIL_UNSAFE=("WRONG-safe-silent after `rewrite as jax.vmap over independent "
                          "steps with per-step outputs outs`: aval: out: aval int8[2,4] != "
                          "int32[2,4] (reference != candidate)"))
