"""Trap: `final_logit`, defined before the loop, reads the loop variable `e` and is called
after the loop: Python gives the last embedding. After a scan rewrite `e` is bound nowhere in
`decode`, so the call raises NameError."""
import jax
import jax.numpy as jnp


@jax.jit
def decode(W, h, embeddings: jax.Array):
    def final_logit():
        return jnp.dot(h, e)

    for e in embeddings:
        h = jnp.tanh(W @ h + e)
    return final_logit()


# --- hand-written lax rewrite -------------------------------------------------------------

@jax.jit
def decode_lax(W, h, embeddings):
    h, _ = jax.lax.scan(lambda h, e: (jnp.tanh(W @ h + e), None), h, embeddings)
    return jnp.dot(h, embeddings[-1])


def _args(T):
    k1, k2, k3 = jax.random.split(jax.random.key(4), 3)
    return (jax.random.normal(k1, (4, 4)) / 3, jax.random.normal(k2, (4,)),
            jax.random.normal(k3, (T, 4)))


CASE = dict(entry="decode", rewrite="decode_lax", args=_args, hazard="closures/late-binding",
            expect="refuse", primitive="scan")
