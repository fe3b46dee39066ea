"""Control: the helper fills a dict of its own (`parts = {}`, item stores) and a copy of its
argument (`ws = list(weights)`, then `ws.reverse()`): nothing leaves the call but its result."""
import jax
import jax.numpy as jnp


def mix(weights, h, x):
    parts = {}
    parts["h"] = weights[0] * h
    parts["x"] = weights[1] * x
    ws = list(weights)
    ws.reverse()
    return jnp.tanh(parts["h"] + parts["x"]) * ws[0]


@jax.jit
def blend(h, xs: jax.Array):
    weights = [0.7, 0.3]
    for x in xs:
        h = mix(weights, h, x)
    return h


# --- hand-written lax rewrite -------------------------------------------------------------

@jax.jit
def blend_lax(h, xs):
    h, _ = jax.lax.scan(lambda h, x: (jnp.tanh(0.7 * h + 0.3 * x) * 0.3, None), h, xs)
    return h


def _args(T):
    k1, k2 = jax.random.split(jax.random.key(47))
    return jax.random.normal(k1, (4,)), jax.random.normal(k2, (T, 4))


CASE = dict(entry="blend", rewrite="blend_lax", args=_args, hazard="effects/mutates-argument",
            expect="safe", primitive="scan")
