"""Trap: the module is indented with tabs; the rewrite must keep tab indentation."""
import jax
import jax.numpy as jnp


@jax.jit
def tabbed(h, xs: jax.Array):
	for x in xs:
		h = jnp.tanh(h * 0.5 + x)
	return h


# --- hand-written lax rewrite -------------------------------------------------------------

@jax.jit
def tabbed_lax(h, xs):
	h, _ = jax.lax.scan(lambda h, x: (jnp.tanh(h * 0.5 + x), None), h, xs)
	return h


def _args(T):
	k1, k2 = jax.random.split(jax.random.key(149))
	return jax.random.normal(k1, (4,)), jax.random.normal(k2, (T, 4))


CASE = dict(entry="tabbed", rewrite="tabbed_lax", args=_args, hazard="internal/odd-syntax",
			expect="safe", primitive="scan")
