"""Trap: statements joined by semicolons inside an indented body, and a trailing `;`."""
import jax
import jax.numpy as jnp


@jax.jit
def rnn(W, h, xs: jax.Array):
    outs = []
    for x in xs:
        z = W @ h + x; h = jnp.tanh(z);
        outs.append(h)
    return jnp.stack(outs)


# --- hand-written lax rewrite -------------------------------------------------------------

@jax.jit
def rnn_lax(W, h, xs):
    def step(h, x):
        h = jnp.tanh(W @ h + x)
        return h, h

    _, outs = jax.lax.scan(step, h, xs)
    return outs


def _args(T):
    k1, k2, k3 = jax.random.split(jax.random.key(143), 3)
    return (jax.random.normal(k1, (4, 4)) / 3, jax.random.normal(k2, (4,)),
            jax.random.normal(k3, (T, 4)))


CASE = dict(entry="rnn", rewrite="rnn_lax", args=_args, hazard="internal/odd-syntax",
            expect="safe", primitive="scan")
