"""Trap: an FNV-style hash of the step in Python ints (`hsh * 16777619 + 7` modulo a prime)
weights each input; the product leaves int32 at the second step: a traced carry wraps around,
silently."""
import jax
import jax.numpy as jnp


@jax.jit
def hashed_mix(xs: jax.Array):
    hsh = 2166136
    acc = jnp.zeros(4)
    for x in xs:
        hsh = (hsh * 16777619 + 7) % 1000003
        acc = acc + x * (hsh / 1000003)
    return acc


# --- hand-written lax rewrite -------------------------------------------------------------

def _weights(T):
    # the weights depend on T only (static): compute them in Python, scan over the table
    hsh, out = 2166136, []
    for _ in range(T):
        hsh = (hsh * 16777619 + 7) % 1000003
        out.append(hsh / 1000003)
    return jnp.asarray(out, jnp.float32)


@jax.jit
def hashed_mix_lax(xs):
    acc, _ = jax.lax.scan(lambda a, wx: (a + wx[1] * wx[0], None), jnp.zeros(4),
                          (_weights(xs.shape[0]), xs))
    return acc


def _args(T):
    return (jax.random.normal(jax.random.key(101), (T, 4)),)


CASE = dict(entry="hashed_mix", rewrite="hashed_mix_lax", args=_args,
            hazard="carries/int-overflow", expect="refuse", primitive="scan",
            XFAIL_UNSAFE=("WRONG-unsafe-silent after `rewrite as jax.lax.scan carrying hsh,"
                          " acc`: values: out: values differ"))
