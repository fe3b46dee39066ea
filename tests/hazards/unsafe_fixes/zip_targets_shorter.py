"""Trap: `zip(inputs, targets)` with one target fewer than inputs (the last input has no
next-step target): Python's zip stops at the shorter; a scan over both raises ValueError."""
import jax
import jax.numpy as jnp


@jax.jit
def teacher_forcing_loss(W, h, inputs: jax.Array, targets: jax.Array):
    loss = jnp.zeros(())
    for x, y in zip(inputs, targets):
        h = jnp.tanh(W @ h + x)
        loss = loss + jnp.sum((h - y) ** 2)
    return loss


# --- hand-written lax rewrite -------------------------------------------------------------

@jax.jit
def teacher_forcing_loss_lax(W, h, inputs, targets):
    n = min(inputs.shape[0], targets.shape[0])

    def step(carry, xy):
        h, loss = carry
        x, y = xy
        h = jnp.tanh(W @ h + x)
        return (h, loss + jnp.sum((h - y) ** 2)), None

    (_, loss), _ = jax.lax.scan(step, (h, jnp.zeros(())), (inputs[:n], targets[:n]))
    return loss


def _args(T):
    k1, k2, k3, k4 = jax.random.split(jax.random.key(124), 4)
    return (jax.random.normal(k1, (4, 4)) / 3, jax.random.normal(k2, (4,)),
            jax.random.normal(k3, (T, 4)), jax.random.normal(k4, (T - 1, 4)))


CASE = dict(entry="teacher_forcing_loss", rewrite="teacher_forcing_loss_lax", args=_args,
            hazard="unsafe/zip-unequal", expect="unsafe", primitive="scan", grad="auto",
            unsafe_raise_note={"leading axis sizes": "zip"})
