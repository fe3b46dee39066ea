"""Trap: a string state machine: `phase` goes from "warmup" to "train" after the first step
and picks the learning rate. A str is not a JAX type: as a scan carry it raises TypeError."""
import jax
import jax.numpy as jnp


@jax.jit
def train(w, xs: jax.Array):
    phase = "warmup"
    for x in xs:
        lr = 0.01 if phase == "warmup" else 0.1
        w = w - lr * (w - x)
        phase = "train"
    return w


# --- hand-written lax rewrite -------------------------------------------------------------

@jax.jit
def train_lax(w, xs):
    lrs = jnp.where(jnp.arange(xs.shape[0]) == 0, 0.01, 0.1)
    w, _ = jax.lax.scan(lambda w, lx: (w - lx[0] * (w - lx[1]), None), w, (lrs, xs))
    return w


def _args(T):
    k1, k2 = jax.random.split(jax.random.key(44))
    return jax.random.normal(k1, (4,)), jax.random.normal(k2, (T, 4))


CASE = dict(entry="train", rewrite="train_lax", args=_args, hazard="carries/python-str",
            expect="refuse", primitive="scan",
            unsafe_raise_note={"not a valid JAX type": ("str", "string")},
            XFAIL_SAFE=("WRONG-safe-raises after `rewrite as jax.lax.scan carrying w, "
                        "phase`: candidate raises TypeError: Argument 'warmup' of type "
                        "<class 'str'> is not a valid JAX type"),
            XFAIL_UNSAFE=("WRONG-safe-raises after `rewrite as jax.lax.scan carrying w, "
                          "phase`: candidate raises TypeError: Argument 'warmup' of type "
                          "<class 'str'> is not a valid JAX type"))
