"""A flax nnx model that refines a hidden state with jax.lax.fori_loop and counts its steps.

Anti-patterns, as jaxloop-lint reports them:
  * the fori_loop body reads the Params `self.W` and `self.b` through the closure: hoist
    the reads before the loop so the body is a pure function of arrays    (JXL301, twice)
  * the body mutates the step counter `self.steps`, an nnx Variable:
    flax.errors.TraceContextError, eagerly and under nnx.jit              (JXL302)
Loops that stay quiet: the encoder's `for layer in self.layers` over an nnx.List of Linear
layers, the `range(self.n_heads)` loop over a static attribute, and the `nnx.fori_loop` in
`Refiner.settle`, which carries the module the way the lifted transform requires.

`__call__` raises TraceContextError in every mode except jax.disable_jit(), where the fori_loop
runs as a Python loop. The demo runs it there.
"""
import jax
import jax.numpy as jnp
from flax import errors, nnx


class StepCount(nnx.Variable):
    pass


class Refiner(nnx.Module):
    def __init__(self, d_in: int, dim: int, n_iters: int, *, rngs: nnx.Rngs):
        self.layers = nnx.List([nnx.Linear(d_in, dim, rngs=rngs), nnx.Linear(dim, dim, rngs=rngs)])
        self.W = nnx.Param(nnx.initializers.orthogonal()(rngs.params(), (dim, dim)) * 0.9)
        self.b = nnx.Param(jnp.zeros((dim,)))
        self.steps = StepCount(jnp.array(0))
        self.n_iters = n_iters
        self.n_heads = 2

    def encode(self, x):
        for layer in self.layers:  # quiet: a static list of submodules
            x = jax.nn.gelu(layer(x))
        for _ in range(self.n_heads):  # quiet: a static attribute
            x = x + 0.1 * jnp.tanh(x)
        return x

    def __call__(self, x):
        h = self.encode(x)

        def body(i, h):
            self.steps[...] += 1
            return jnp.tanh(self.W[...] @ h + self.b[...])

        return jax.lax.fori_loop(0, self.n_iters, body, h)

    def settle(self, x):
        """The same refinement with the module carried through nnx.fori_loop: allowed."""

        def body(i, carry):
            model, h = carry
            model.steps[...] += 1
            return model, jnp.tanh(model.W[...] @ h + model.b[...])

        _, h = nnx.fori_loop(0, self.n_iters, body, (self, self.encode(x)))
        return h


if __name__ == "__main__":
    model = Refiner(d_in=4, dim=8, n_iters=3, rngs=nnx.Rngs(0))
    x = jnp.ones(4)
    try:
        model(x)
    except errors.TraceContextError as e:
        print("__call__:", type(e).__name__, "-", str(e).split(" (")[0])
    with jax.disable_jit():
        h = model(x)
    print("__call__ under disable_jit: steps =", int(model.steps[...]), "h[:3] =", h[:3].round(3))
    h2 = model.settle(x)
    print("settle with nnx.fori_loop: steps =", int(model.steps[...]), "h[:3] =", h2[:3].round(3))
