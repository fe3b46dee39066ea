"""Trap: `@traced_inputs` records every input in a module-level list, and the model's penalty
reads how many inputs were seen this call. One trace of a scan step records one."""
import jax

SEEN = []


def traced_inputs(fn):
    def wrapper(h, x):
        SEEN.append(x)
        return fn(h, x)

    return wrapper


@traced_inputs
def update(h, x):
    return 0.9 * h + 0.1 * x


@jax.jit
def penalised(h, xs: jax.Array):
    start = len(SEEN)
    for x in xs:
        h = update(h, x)
    return h * (len(SEEN) - start)


# --- hand-written lax rewrite -------------------------------------------------------------

@jax.jit
def penalised_lax(h, xs):
    h, _ = jax.lax.scan(lambda h, x: (0.9 * h + 0.1 * x, None), h, xs)
    return h * xs.shape[0]


def _args(T):
    k1, k2 = jax.random.split(jax.random.key(30))
    return jax.random.normal(k1, (4,)), jax.random.normal(k2, (T, 4))


CASE = dict(entry="penalised", rewrite="penalised_lax", args=_args,
            hazard="effects/stateful-decorator", expect="refuse", primitive="scan",
            unsafe_raise_note={"unexpected tracer": "side effect"})
