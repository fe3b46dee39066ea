"""A scan body that appends to an outer list (JXL203): under jit the list holds one tracer and
`jnp.stack` raises UnexpectedTracerError. The appended value becomes the scan's ys (unsafe: the
rewrite computes what the code meant, not what it did)."""
import jax
import jax.numpy as jnp


def rollout(w, h0, xs):
    def step(h, x):
        h = jnp.tanh(w * h + x)
        # one hidden state per step
        return h, h

    h, hiddens = jax.lax.scan(step, h0, xs)
    return h, hiddens


def _args(T):
    return jnp.float32(0.7), jnp.zeros(3), jax.random.normal(jax.random.key(0), (T, 3))


CASE = dict(entry="rollout", args=_args, grad="auto", unsafe=True, primitive="scan",
            differentiable=True, trip_counts=(4, 16), original="lax")
