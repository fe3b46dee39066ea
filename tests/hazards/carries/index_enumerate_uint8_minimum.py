"""Trap: `jnp.minimum(frame, t)` with uint8 frames and the enumerate index `t`: uint8 with a
Python int, int32 with a traced index. Per-step outputs change dtype silently."""
import jax
import jax.numpy as jnp


@jax.jit
def clip_by_time(frames: jax.Array):
    outs = []
    for t, frame in enumerate(frames):
        outs.append(jnp.minimum(frame, t))
    return jnp.stack(outs)


# --- hand-written lax rewrite -------------------------------------------------------------

@jax.jit
def clip_by_time_lax(frames):
    def step(c, tf):
        t, frame = tf
        return c, jnp.minimum(frame, t.astype(frame.dtype))

    _, outs = jax.lax.scan(step, 0, (jnp.arange(frames.shape[0]), frames))
    return outs


def _args(T):
    return (jax.random.randint(jax.random.key(83), (T, 4), 0, 9).astype(jnp.uint8),)


CASE = dict(entry="clip_by_time", rewrite="clip_by_time_lax", args=_args,
            hazard="carries/loop-index-dtype", expect="refuse", primitive="scan",
            XFAIL_SAFE=("WRONG-safe-silent after `rewrite as jax.vmap over independent "
                        "steps with per-step outputs outs`: aval: out: aval uint8[2,4] != "
                        "int32[2,4] (reference != candidate)"),
            XFAIL_UNSAFE=("WRONG-safe-silent after `rewrite as jax.vmap over independent "
                          "steps with per-step outputs outs`: aval: out: aval uint8[2,4] !="
                          " int32[2,4] (reference != candidate)"))
