"""Control: the helper is decorated with `@partial(jax.jit, static_argnames="k")`, a JAX
transform spelled through `functools.partial`: no Python state, safe in a scan step."""
from functools import partial

import jax
import jax.numpy as jnp


@partial(jax.jit, static_argnames="k")
def leak(h, x, k=2):
    return h * (1.0 - 1.0 / k) + x / k


@jax.jit
def integrate(h, xs: jax.Array):
    for x in xs:
        h = leak(h, x, k=4)
    return h


# --- hand-written lax rewrite -------------------------------------------------------------

@jax.jit
def integrate_lax(h, xs):
    h, _ = jax.lax.scan(lambda h, x: (h * 0.75 + x / 4, None), h, xs)
    return h


def _args(T):
    k1, k2 = jax.random.split(jax.random.key(48))
    return jax.random.normal(k1, (4,)), jax.random.normal(k2, (T, 4))


CASE = dict(entry="integrate", rewrite="integrate_lax", args=_args, hazard="effects/stateful-decorator",
            expect="safe", primitive="scan")
