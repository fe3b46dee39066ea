"""Control: `energy` reads `h` but is only called after the loop, when the rewrite has bound
`h` again from the scan's result: the closure sees the final state either way."""
import jax
import jax.numpy as jnp


@jax.jit
def settle(h, xs: jax.Array):
    def energy():
        return jnp.sum(h ** 2)

    for x in xs:
        h = 0.9 * h + 0.1 * x
    return h, energy()


# --- hand-written lax rewrite -------------------------------------------------------------

@jax.jit
def settle_lax(h, xs):
    h, _ = jax.lax.scan(lambda h, x: (0.9 * h + 0.1 * x, None), h, xs)
    return h, jnp.sum(h ** 2)


def _args(T):
    k1, k2 = jax.random.split(jax.random.key(11))
    return jax.random.normal(k1, (4,)), jax.random.normal(k2, (T, 4))


CASE = dict(entry="settle", rewrite="settle_lax", args=_args, hazard="closures/late-binding",
            expect="safe", primitive="scan")
