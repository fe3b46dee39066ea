"""Trap: at a static step the state is returned in float16 (`if t == 2: return
h.astype(jnp.float16)`), otherwise in float32 after the loop; `jnp.where` over both paths
promotes to float32."""
import jax
import jax.numpy as jnp


@jax.jit
def half_probe(xs: jax.Array):
    h = jnp.zeros(4)
    for t in range(xs.shape[0]):
        h = jnp.tanh(h + xs[t])
        if t == 2:
            return h.astype(jnp.float16)
    return h


# --- hand-written lax rewrite -------------------------------------------------------------

@jax.jit
def half_probe_lax(xs):
    n = min(xs.shape[0], 3)
    h, _ = jax.lax.scan(lambda h, x: (jnp.tanh(h + x), None), jnp.zeros(4), xs[:n])
    return h.astype(jnp.float16) if xs.shape[0] > 2 else h


def _args(T):
    return (jax.random.normal(jax.random.key(123), (T, 4)),)


CASE = dict(entry="half_probe", rewrite="half_probe_lax", args=_args,
            hazard="unsafe/early-return-types", expect="refuse", primitive="scan",
            trip_counts=(4, 6))
