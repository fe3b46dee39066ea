"""Trap: a PCG-style step id in Python ints (multiplier 6364136223846793005) folded into the
key (`fold_in(key, sid % 2**32)`): exact in Python; as a traced int32 carry the constants do
not even fit."""
import jax
import jax.numpy as jnp


@jax.jit
def sample(key, xs: jax.Array):
    sid = 7
    acc = jnp.zeros(4)
    for x in xs:
        sid = (sid * 6364136223846793005 + 1442695040888963407) % 2**64
        acc = acc + x * jax.random.uniform(jax.random.fold_in(key, sid % 2**32), (4,))
    return acc


# --- hand-written lax rewrite -------------------------------------------------------------

def _step_ids(T):
    # the step ids depend on T only (static): compute them in Python, scan over the table
    sid, out = 7, []
    for _ in range(T):
        sid = (sid * 6364136223846793005 + 1442695040888963407) % 2**64
        out.append(sid % 2**32)
    return jnp.asarray(out, jnp.uint32)


@jax.jit
def sample_lax(key, xs):
    def step(acc, sx):
        s, x = sx
        return acc + x * jax.random.uniform(jax.random.fold_in(key, s), (4,)), None

    acc, _ = jax.lax.scan(step, jnp.zeros(4), (_step_ids(xs.shape[0]), xs))
    return acc


def _args(T):
    return jax.random.key(61), jax.random.normal(jax.random.key(62), (T, 4))


CASE = dict(entry="sample", rewrite="sample_lax", args=_args, hazard="carries/int-overflow",
            expect="refuse", primitive="scan",
            unsafe_raise_note={"too large": ("overflow", "int32"),
                               "Overflow": ("overflow", "int32")})
