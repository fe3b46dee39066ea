"""Teacher-forced squared error: zip over inputs and targets."""
import jax
import jax.numpy as jnp


@jax.jit
def teacher_forced_loss(W, xs, targets):
    loss = jnp.zeros(())

    def teacher_forced_loss_step(loss, x_y):
        x, y = x_y
        pred = jnp.tanh(W @ x)
        loss = loss + jnp.mean((pred - y) ** 2)
        return loss, None
    loss, _ = jax.lax.scan(teacher_forced_loss_step, loss, (xs, targets))
    return loss


def _args(T):
    k1, k2, k3 = jax.random.split(jax.random.key(0), 3)
    return (jax.random.normal(k1, (3, 4)) / 2, jax.random.normal(k2, (T, 4)),
            jax.random.normal(k3, (T, 3)))


CASE = dict(entry="teacher_forced_loss", args=_args, grad="auto", unsafe=True, primitive="scan",
            differentiable=True, trip_counts=(4, 16))
