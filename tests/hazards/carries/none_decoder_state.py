"""Trap: the decoder's `state` is None until the first input initialises it (an `if state is
None:` branch); a scan carry cannot start as None."""
import jax
import jax.numpy as jnp


@jax.jit
def decode(W, xs: jax.Array):
    state = None
    for x in xs:
        if state is None:
            state = jnp.tanh(x)
        else:
            state = jnp.tanh(W @ state + x)
    return state


# --- hand-written lax rewrite -------------------------------------------------------------

@jax.jit
def decode_lax(W, xs):
    state, _ = jax.lax.scan(lambda s, x: (jnp.tanh(W @ s + x), None), jnp.tanh(xs[0]), xs[1:])
    return state


def _args(T):
    k1, k2 = jax.random.split(jax.random.key(53))
    return jax.random.normal(k1, (4, 4)) / 3, jax.random.normal(k2, (T, 4))


CASE = dict(entry="decode", rewrite="decode_lax", args=_args, hazard="carries/none",
            expect="refuse", primitive="scan",
            unsafe_raise_note={"pytree structure": "None"})
