"""Backward pass of a linear recurrence: reversed(range(T)) with xs[t]."""
import jax
import jax.numpy as jnp


@jax.jit
def backward_adjoint(A, grads):
    adj = jnp.zeros(A.shape[0])
    for t in reversed(range(grads.shape[0])):
        adj = A.T @ adj + grads[t]
    return adj


def _args(T):
    k1, k2 = jax.random.split(jax.random.key(0))
    return jax.random.normal(k1, (4, 4)) / 3, jax.random.normal(k2, (T, 4))


CASE = dict(entry="backward_adjoint", args=_args, grad="auto", unsafe=False, primitive="scan",
            differentiable=True, trip_counts=(4, 16))
