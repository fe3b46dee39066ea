"""Trap: the decoder state is a string looked up in two dicts (`SCALE[state]`,
`NEXT[state]`). Traced, the state cannot be a str nor a dict key."""
import jax
import jax.numpy as jnp

SCALE = {"start": 0.0, "run": 0.5}
NEXT = {"start": "run", "run": "run"}


@jax.jit
def decode(W, h, xs: jax.Array):
    state = "start"
    for x in xs:
        h = jnp.tanh(SCALE[state] * (W @ h) + x)
        state = NEXT[state]
    return h


# --- hand-written lax rewrite -------------------------------------------------------------

@jax.jit
def decode_lax(W, h, xs):
    def step(h, ix):
        i, x = ix
        scale = jnp.where(i == 0, SCALE["start"], SCALE["run"])
        return jnp.tanh(scale * (W @ h) + x), None

    h, _ = jax.lax.scan(step, h, (jnp.arange(xs.shape[0]), xs))
    return h


def _args(T):
    k1, k2, k3 = jax.random.split(jax.random.key(45), 3)
    return (jax.random.normal(k1, (4, 4)) / 3, jax.random.normal(k2, (4,)),
            jax.random.normal(k3, (T, 4)))


CASE = dict(entry="decode", rewrite="decode_lax", args=_args, hazard="carries/python-str",
            expect="refuse", primitive="scan",
            unsafe_raise_note={"not a valid JAX type": ("str", "string")},
            XFAIL_SAFE=("WRONG-safe-raises after `rewrite as jax.lax.scan carrying h, "
                        "state`: candidate raises TypeError: Argument 'start' of type "
                        "<class 'str'> is not a valid JAX type"),
            XFAIL_UNSAFE=("WRONG-safe-raises after `rewrite as jax.lax.scan carrying h, "
                          "state`: candidate raises TypeError: Argument 'start' of type "
                          "<class 'str'> is not a valid JAX type"))
