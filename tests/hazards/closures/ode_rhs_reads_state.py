"""Trap: the right-hand side `rhs` is a closure over the state `y`, which the Euler loop
rebinds. Python looks `y` up at each call (late binding); moved into a scan step, `rhs` would
still read the `y` of the enclosing function, the initial state."""
import jax
import jax.numpy as jnp


@jax.jit
def euler(y, ts: jax.Array, k):
    def rhs(t):
        return -k * y + jnp.sin(t)

    for t in ts:
        y = y + 0.1 * rhs(t)
    return y


# --- hand-written lax rewrite -------------------------------------------------------------

@jax.jit
def euler_lax(y, ts, k):
    def step(y, t):
        return y + 0.1 * (-k * y + jnp.sin(t)), None

    y, _ = jax.lax.scan(step, y, ts)
    return y


def _args(T):
    k1, k2 = jax.random.split(jax.random.key(2))
    return (jax.random.normal(k1, (4,)), jnp.linspace(0.0, 1.0, T),
            jnp.abs(jax.random.normal(k2, (4,))))


CASE = dict(entry="euler", rewrite="euler_lax", args=_args, hazard="closures/late-binding",
            expect="refuse", primitive="scan")
