"""Control: `with_bias` copies the list it is handed before appending to the copy
(`parts = list(parts)`), so the caller's list never changes."""
import jax
import jax.numpy as jnp


def with_bias(parts, b):
    parts = list(parts)
    parts.append(b)
    return sum(parts)


@jax.jit
def accumulate(b, xs: jax.Array):
    base = [b * 0.5]
    acc = jnp.zeros_like(b)
    for x in xs:
        acc = acc * 0.5 + with_bias(base, x)
    return acc, len(base)


# --- hand-written lax rewrite -------------------------------------------------------------

@jax.jit
def accumulate_lax(b, xs):
    acc, _ = jax.lax.scan(lambda acc, x: (acc * 0.5 + (b * 0.5 + x), None), jnp.zeros_like(b), xs)
    return acc, 1


def _args(T):
    k1, k2 = jax.random.split(jax.random.key(34))
    return jax.random.normal(k1, (4,)), jax.random.normal(k2, (T, 4))


CASE = dict(entry="accumulate", rewrite="accumulate_lax", args=_args,
            hazard="effects/mutates-argument", expect="safe", primitive="scan")
