"""Trap: an nnx module keeps per-step scales in a tuple attribute (`self.scales[t]`): a
traced index cannot index a Python tuple."""
import jax
import jax.numpy as jnp
from flax import nnx


class Decoder(nnx.Module):
    def __init__(self, rngs: nnx.Rngs):
        self.W = nnx.Param(jax.random.normal(rngs.params(), (4, 4)) * 0.3)
        self.scales = (1.0, 0.8, 0.6, 0.4, 0.2, 0.1)

    def __call__(self, h, xs: jax.Array):
        for t in range(xs.shape[0]):
            h = jnp.tanh(self.scales[t] * (self.W[...] @ h) + xs[t])
        return h


# --- hand-written lax rewrite -------------------------------------------------------------

def decoder_lax(model, h, xs):
    scales = jnp.asarray(model.scales[:xs.shape[0]], jnp.float32)
    W = model.W[...]
    h, _ = jax.lax.scan(lambda h, sx: (jnp.tanh(sx[0] * (W @ h) + sx[1]), None), h, (scales, xs))
    return h


def _args(T):
    k1, k2 = jax.random.split(jax.random.key(88))
    return Decoder(nnx.Rngs(0)), jax.random.normal(k1, (4,)), jax.random.normal(k2, (T, 4))


CASE = dict(entry="Decoder.__call__", rewrite="decoder_lax", args=_args,
            hazard="carries/index-python-container", expect="refuse", primitive="scan",
            unsafe_raise_note={"TracerIntegerConversion": ("tuple", "index"),
                               "TracerArrayConversion": ("tuple", "index"),
                               "unhashable": ("tuple", "index"),
                               "indices must be": ("tuple", "index")},
            XFAIL_SAFE=("WRONG-safe-raises after `rewrite as jax.lax.fori_loop carrying h; "
                        "hoist `W = self.W[...]` before the loop; the body closes over the "
                        "array`: candidate raises TracerIntegerConversionError: The "
                        "__index__() method was called on traced array with shape int32[]"),
            XFAIL_UNSAFE=("WRONG-safe-raises after `rewrite as jax.lax.fori_loop carrying "
                          "h; hoist `W = self.W[...]` before the loop; the body closes over"
                          " the array`: candidate raises TracerIntegerConversionError: The "
                          "__index__() method was called on traced array with shape int32[]"))
