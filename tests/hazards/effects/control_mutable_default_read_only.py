"""Control: a list as a default argument that is only read (`mix=[0.5, 0.25]`): no call
changes it, so the helper is pure and a scan computes what the loop computes."""
import jax


def blend(h, x, mix=[0.5, 0.25]):  # noqa: B006 - read only
    return mix[0] * h + mix[1] * x


@jax.jit
def smooth(h, xs: jax.Array):
    for x in xs:
        h = blend(h, x)
    return h


# --- hand-written lax rewrite -------------------------------------------------------------

@jax.jit
def smooth_lax(h, xs):
    h, _ = jax.lax.scan(lambda h, x: (0.5 * h + 0.25 * x, None), h, xs)
    return h


def _args(T):
    k1, k2 = jax.random.split(jax.random.key(41))
    return jax.random.normal(k1, (4,)), jax.random.normal(k2, (T, 4))


CASE = dict(entry="smooth", rewrite="smooth_lax", args=_args, hazard="effects/mutable-default",
            expect="safe", primitive="scan")
