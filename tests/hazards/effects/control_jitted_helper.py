"""Control: the helper is itself `@jax.jit` (a known transform, no state): calling it from a
scan step is what the Python loop does."""
import jax


@jax.jit
def gru_gate(h, x):
    return jax.nn.sigmoid(h + x) * h + (1 - jax.nn.sigmoid(h + x)) * x


@jax.jit
def encode(h, xs: jax.Array):
    for x in xs:
        h = gru_gate(h, x)
    return h


# --- hand-written lax rewrite -------------------------------------------------------------

@jax.jit
def encode_lax(h, xs):
    h, _ = jax.lax.scan(lambda h, x: (gru_gate(h, x), None), h, xs)
    return h


def _args(T):
    k1, k2 = jax.random.split(jax.random.key(33))
    return jax.random.normal(k1, (4,)), jax.random.normal(k2, (T, 4))


CASE = dict(entry="encode", rewrite="encode_lax", args=_args, hazard="effects/stateful-decorator",
            expect="safe", primitive="scan")
