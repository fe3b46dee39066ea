"""Control: `gate` is defined inside the body and reads `acc` before the body rebinds it
(a read the closure makes, not a statement of the body): the rewrite must still carry `acc`,
or the step function's `gate` would read a local not yet assigned."""
import jax
import jax.numpy as jnp


@jax.jit
def leaky_total(xs: jax.Array):
    acc = jnp.zeros(4)
    total = jnp.zeros(())
    for x in xs:
        def gate():
            return jax.nn.sigmoid(acc)

        y = gate() * x
        acc = 0.5 * acc + y
        total = total + jnp.sum(y)
    return total


# --- hand-written lax rewrite -------------------------------------------------------------

@jax.jit
def leaky_total_lax(xs):
    def step(carry, x):
        acc, total = carry
        y = jax.nn.sigmoid(acc) * x
        return (0.5 * acc + y, total + jnp.sum(y)), None

    (_, total), _ = jax.lax.scan(step, (jnp.zeros(4), jnp.zeros(())), xs)
    return total


def _args(T):
    return (jax.random.normal(jax.random.key(36), (T, 4)),)


CASE = dict(entry="leaky_total", rewrite="leaky_total_lax", args=_args,
            hazard="closures/late-binding", expect="safe", primitive="scan")
