"""Trap: the late read is one scope deeper: `energy` defines `inner`, which reads `h`; only
`inner` names the rebound state, `energy` itself reads nothing the loop binds."""
import jax
import jax.numpy as jnp


@jax.jit
def relax(h, xs: jax.Array):
    def energy():
        def inner():
            return h ** 2
        return jnp.sum(inner())

    acc = jnp.zeros(())
    for x in xs:
        h = 0.8 * h + 0.2 * x
        acc = acc + energy()
    return acc


# --- hand-written lax rewrite -------------------------------------------------------------

@jax.jit
def relax_lax(h, xs):
    def step(carry, x):
        h, acc = carry
        h = 0.8 * h + 0.2 * x
        return (h, acc + jnp.sum(h ** 2)), None

    (_, acc), _ = jax.lax.scan(step, (h, jnp.zeros(())), xs)
    return acc


def _args(T):
    k1, k2 = jax.random.split(jax.random.key(35))
    return jax.random.normal(k1, (4,)), jax.random.normal(k2, (T, 4))


CASE = dict(entry="relax", rewrite="relax_lax", args=_args, hazard="closures/late-binding",
            expect="refuse", primitive="scan")
