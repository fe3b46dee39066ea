"""Control: the activation name is a str set before the loop and never rebound: comparing it
in the body is static in the step as in the loop."""
import jax
import jax.numpy as jnp


@jax.jit
def activate(h, xs: jax.Array):
    act = "tanh"
    for x in xs:
        z = h * 0.5 + x
        h = jnp.tanh(z) if act == "tanh" else jax.nn.relu(z)
    return h


# --- hand-written lax rewrite -------------------------------------------------------------

@jax.jit
def activate_lax(h, xs):
    h, _ = jax.lax.scan(lambda h, x: (jnp.tanh(h * 0.5 + x), None), h, xs)
    return h


def _args(T):
    k1, k2 = jax.random.split(jax.random.key(96))
    return jax.random.normal(k1, (4,)), jax.random.normal(k2, (T, 4))


CASE = dict(entry="activate", rewrite="activate_lax", args=_args, hazard="carries/python-str",
            expect="safe", primitive="scan")
