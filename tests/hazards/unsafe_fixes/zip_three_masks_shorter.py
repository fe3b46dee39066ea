"""Trap: `zip(obs, actions, masks)` where the masks cover only the first half of the
episode: Python zips the shortest, a scan raises."""
import jax
import jax.numpy as jnp


@jax.jit
def masked_return(obs: jax.Array, actions: jax.Array, masks: jax.Array):
    ret = jnp.zeros(())
    for o, a, m in zip(obs, actions, masks):
        ret = 0.9 * ret + m * jnp.dot(o, a)
    return ret


# --- hand-written lax rewrite -------------------------------------------------------------

@jax.jit
def masked_return_lax(obs, actions, masks):
    n = min(obs.shape[0], actions.shape[0], masks.shape[0])
    ret, _ = jax.lax.scan(lambda r, oam: (0.9 * r + oam[2] * jnp.dot(oam[0], oam[1]), None),
                          jnp.zeros(()), (obs[:n], actions[:n], masks[:n]))
    return ret


def _args(T):
    k1, k2 = jax.random.split(jax.random.key(126))
    return (jax.random.normal(k1, (T, 4)), jax.random.normal(k2, (T, 4)),
            jnp.ones((max(1, T // 2),)))


CASE = dict(entry="masked_return", rewrite="masked_return_lax", args=_args,
            hazard="unsafe/zip-unequal", expect="unsafe", primitive="scan",
            unsafe_raise_note={"leading axis sizes": "zip"})
