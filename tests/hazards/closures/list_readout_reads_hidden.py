"""Trap: as `readout_reads_hidden`, with the readout collected per step: `logits.append(
readout())`, where `readout` is a closure over the rebound `h`."""
import jax
import jax.numpy as jnp


@jax.jit
def rnn_logits(W, V, h, xs: jax.Array):
    readout = lambda: V @ h  # noqa: E731
    logits = []
    for x in xs:
        h = jnp.tanh(W @ h + x)
        logits.append(readout())
    return jnp.stack(logits)


# --- hand-written lax rewrite -------------------------------------------------------------

@jax.jit
def rnn_logits_lax(W, V, h, xs):
    def step(h, x):
        h = jnp.tanh(W @ h + x)
        return h, V @ h

    _, logits = jax.lax.scan(step, h, xs)
    return logits


def _args(T):
    k1, k2, k3, k4 = jax.random.split(jax.random.key(7), 4)
    return (jax.random.normal(k1, (4, 4)) / 3, jax.random.normal(k2, (2, 4)),
            jax.random.normal(k3, (4,)), jax.random.normal(k4, (T, 4)))


CASE = dict(entry="rnn_logits", rewrite="rnn_logits_lax", args=_args,
            hazard="closures/late-binding", expect="refuse", primitive="scan")
