"""Trap: the attention helper `attend` reads the loop index `i` from the enclosing function.
Python sees the current `i`; after a rewrite into a scan over `jnp.arange`, `i` is only the
step's parameter and the helper raises NameError."""
import jax
import jax.numpy as jnp


@jax.jit
def pointer_net(memory: jax.Array, q):
    def attend():
        return jax.nn.sigmoid(jnp.dot(memory[i], q))

    gate = jnp.ones(())
    for i in range(memory.shape[0]):
        gate = gate * attend()
    return gate


# --- hand-written lax rewrite -------------------------------------------------------------

@jax.jit
def pointer_net_lax(memory, q):
    def step(gate, i):
        return gate * jax.nn.sigmoid(jnp.dot(memory[i], q)), None

    gate, _ = jax.lax.scan(step, jnp.ones(()), jnp.arange(memory.shape[0]))
    return gate


def _args(T):
    k1, k2 = jax.random.split(jax.random.key(6))
    return jax.random.normal(k1, (T, 4)), jax.random.normal(k2, (4,))


CASE = dict(entry="pointer_net", rewrite="pointer_net_lax", args=_args,
            hazard="closures/late-binding", expect="refuse", primitive="scan")
