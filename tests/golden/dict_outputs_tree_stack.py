"""Per-step outputs that are dicts of arrays, stacked leaf by leaf with
`jax.tree.map(lambda *xs: jnp.stack(xs), *steps)`: exactly what scan does with pytree ys."""
import jax
import jax.numpy as jnp


@jax.jit
def lstm_trace(params, xs: jax.Array):
    h = jnp.zeros(params["w"].shape[0])
    c = jnp.zeros(params["w"].shape[0])
    steps = []
    for x in xs:
        gate = jax.nn.sigmoid(params["w"] @ h + x)
        c = gate * c + (1.0 - gate) * jnp.tanh(x)
        h = jnp.tanh(c)
        steps.append({"h": h, "c": c, "gate_mean": gate.mean()})
    return jax.tree.map(lambda *xs: jnp.stack(xs), *steps)


def _args(T):
    return ({"w": 0.3 * jax.random.normal(jax.random.key(0), (3, 3))},
            jax.random.normal(jax.random.key(1), (T, 3)))


CASE = dict(entry="lstm_trace", args=_args, grad="auto", unsafe=False, primitive="scan",
            differentiable=True, trip_counts=(4, 16))
