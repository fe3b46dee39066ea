"""Trap: a one-line `zip` loop with a tuple target (`for x, y in zip(xs, ys): loss = ...`)."""
import jax
import jax.numpy as jnp


@jax.jit
def squared_error(xs: jax.Array, ys: jax.Array):
    loss = jnp.zeros(())
    for x, y in zip(xs, ys): loss = loss + jnp.sum((x - y) ** 2)
    return loss


# --- hand-written lax rewrite -------------------------------------------------------------

@jax.jit
def squared_error_lax(xs, ys):
    loss, _ = jax.lax.scan(lambda acc, xy: (acc + jnp.sum((xy[0] - xy[1]) ** 2), None),
                           jnp.zeros(()), (xs, ys))
    return loss


def _args(T):
    k1, k2 = jax.random.split(jax.random.key(152))
    return jax.random.normal(k1, (T, 4)), jax.random.normal(k2, (T, 4))


CASE = dict(entry="squared_error", rewrite="squared_error_lax", args=_args,
            hazard="internal/one-line-for", expect="unsafe", primitive="scan",
            unsafe_raise_note={"leading axis sizes": "zip"})
