"""Control: the closure `project` reads only `V`, which the loop never rebinds; calling it in
a scan step computes what the Python loop computes."""
import jax
import jax.numpy as jnp


@jax.jit
def rnn_project(W, V, h, xs: jax.Array):
    def project(v):
        return V @ v

    for x in xs:
        h = jnp.tanh(W @ h + project(x))
    return h


# --- hand-written lax rewrite -------------------------------------------------------------

@jax.jit
def rnn_project_lax(W, V, h, xs):
    h, _ = jax.lax.scan(lambda h, x: (jnp.tanh(W @ h + V @ x), None), h, xs)
    return h


def _args(T):
    k1, k2, k3, k4 = jax.random.split(jax.random.key(9), 4)
    return (jax.random.normal(k1, (4, 4)) / 3, jax.random.normal(k2, (4, 4)) / 3,
            jax.random.normal(k3, (4,)), jax.random.normal(k4, (T, 4)))


CASE = dict(entry="rnn_project", rewrite="rnn_project_lax", args=_args,
            hazard="closures/late-binding", expect="safe", primitive="scan")
