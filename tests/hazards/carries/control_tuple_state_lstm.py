"""Control: an LSTM state kept as a tuple of two arrays `(h, c)`, unpacked and packed again
each step: both parts keep their shape and dtype, so the tuple is a stable carry."""
import jax
import jax.numpy as jnp


@jax.jit
def lstm(W, state, xs: jax.Array):
    for x in xs:
        h, c = state
        g = W @ h + x
        c = jax.nn.sigmoid(g) * c + (1 - jax.nn.sigmoid(g)) * jnp.tanh(g)
        state = (jnp.tanh(c), c)
    return state


# --- hand-written lax rewrite -------------------------------------------------------------

@jax.jit
def lstm_lax(W, state, xs):
    def step(state, x):
        h, c = state
        g = W @ h + x
        c = jax.nn.sigmoid(g) * c + (1 - jax.nn.sigmoid(g)) * jnp.tanh(g)
        return (jnp.tanh(c), c), None

    state, _ = jax.lax.scan(step, state, xs)
    return state


def _args(T):
    k1, k2, k3, k4 = jax.random.split(jax.random.key(104), 4)
    return (jax.random.normal(k1, (4, 4)) / 3,
            (jax.random.normal(k2, (4,)), jax.random.normal(k3, (4,))),
            jax.random.normal(k4, (T, 4)))


CASE = dict(entry="lstm", rewrite="lstm_lax", args=_args, hazard="carries/tuple-state",
            expect="safe", primitive="scan")
