"""Refused: the append happens only on some steps (data-dependent output length)."""
import jax
import jax.numpy as jnp


@jax.jit
def positive_steps(xs):
    acc = jnp.zeros(())
    kept = []
    for x in xs:
        acc = acc + x
        if x > 0:
            kept.append(acc)
    return jnp.stack(kept)


CASE = dict(reason='`kept.append` is conditional')
