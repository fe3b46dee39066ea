"""Control: `mix` builds and mutates a list of its own (`parts.append`), then stacks it: the
mutation never leaves the call, so the helper is pure."""
import jax
import jax.numpy as jnp


def mix(h, x):
    parts = []
    parts.append(h * 0.5)
    parts.append(x * 0.5)
    return jnp.sum(jnp.stack(parts), axis=0)


@jax.jit
def blend(h, xs: jax.Array):
    for x in xs:
        h = mix(h, x)
    return h


# --- hand-written lax rewrite -------------------------------------------------------------

@jax.jit
def blend_lax(h, xs):
    h, _ = jax.lax.scan(lambda h, x: (mix(h, x), None), h, xs)
    return h


def _args(T):
    k1, k2 = jax.random.split(jax.random.key(32))
    return jax.random.normal(k1, (4,)), jax.random.normal(k2, (T, 4))


CASE = dict(entry="blend", rewrite="blend_lax", args=_args, hazard="effects/mutates-argument",
            expect="safe", primitive="scan")
