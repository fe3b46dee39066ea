"""The JAX facts the fixer's safety decisions rest on (docs/design/loop-semantics.md), checked
against the installed jax and flax. If a release changes one of them, this file fails and the
rule that depends on it must be revisited before anything else.

Each test names the section of the design page it pins down.
"""
from __future__ import annotations

import warnings

import numpy as np
import pytest

jax = pytest.importorskip("jax")
jnp = jax.numpy
lax = jax.lax


def _aval(x):
    x = jnp.asarray(x) if not hasattr(x, "aval") else x
    return (str(x.dtype), tuple(x.shape), bool(getattr(x.aval, "weak_type", False)))


def _scan_sum(init, xs):
    return lax.scan(lambda c, x: (c + x, None), init, xs)[0]


def _python_sum(init, xs):
    for x in xs:
        init = init + x
    return init


# -- Unrolling vs raising ------------------------------------------------------------------
def test_static_python_loop_unrolls_and_grows_with_trip_count():
    """A `for` over a traced array traces (no error) and copies the body per step."""
    def f(xs):
        acc = 0.0
        for x in xs:
            acc = acc + x
        return acc
    small = len(jax.make_jaxpr(f)(jnp.ones(4)).eqns)
    large = len(jax.make_jaxpr(f)(jnp.ones(16)).eqns)
    assert large > 3 * small


def test_traced_bounds_and_conditions_raise():
    with pytest.raises(jax.errors.TracerIntegerConversionError):
        jax.jit(lambda n: [i for i in range(n)])(3)
    with pytest.raises(jax.errors.TracerBoolConversionError):
        jax.jit(lambda x: x if x > 0 else -x)(1.0)


# -- Carries ---------------------------------------------------------------------------------
def test_weak_init_is_promoted_by_scan():
    """`acc = 0.0` then `acc += f32`: scan promotes the weak init; values equal Python's."""
    xs = jnp.arange(1.0, 5.0)
    assert _aval(_scan_sum(0.0, xs)) == _aval(_python_sum(0.0, xs)) == ("float32", (), False)
    assert _aval(_scan_sum(0, xs)) == ("float32", (), False)  # a weak int start too


def test_weak_init_with_zero_steps_keeps_python_type():
    """With no step, Python returns the Python scalar; scan returns a float32 array (T = 0
    differs)."""
    xs = jnp.zeros((0,))
    assert isinstance(_python_sum(0.0, xs), float)
    assert _aval(_scan_sum(0.0, xs)) == ("float32", (), False)


def test_strong_dtype_change_raises():
    with pytest.raises(TypeError, match="carry"):
        _scan_sum(jnp.int32(0), jnp.arange(1.0, 5.0))
    with pytest.raises(TypeError, match="carry"):
        _scan_sum(jnp.zeros((), jnp.bfloat16), jnp.arange(1.0, 5.0))


def test_shape_change_raises():
    with pytest.raises(TypeError, match="shape"):
        _scan_sum(0.0, jnp.ones((4, 3)))


def test_structure_change_and_python_objects_raise():
    with pytest.raises(TypeError):
        lax.scan(lambda c, x: (x, None), None, jnp.ones(3))
    with pytest.raises(TypeError):
        lax.scan(lambda c, x: (c, None), "state", jnp.ones(3))


def test_casting_the_init_is_not_exact():
    """The tempting fix for a dtype change (cast the start) changes results: the original's
    first step computes in int32 and wraps; a float start does not."""
    def step(c, x):
        return c * x
    xs = jnp.array([2 ** 30, 4, 1], dtype=jnp.int32)
    python = jnp.int32(1)
    for x in xs:
        python = step(python, x)
    python = python + 0.5  # then the body turns it float
    cast = lax.scan(lambda c, x: (c * x, None), jnp.float32(1), xs.astype(jnp.float32))[0] + 0.5
    assert float(python) != float(cast)


def test_python_float_carry_is_float64_in_python_and_float32_in_scan():
    decay = 1.0
    for _ in range(3000):
        decay = decay * 0.999
    scanned = lax.scan(lambda d, _: (d * 0.999, None), 1.0, None, length=3000)[0]
    assert decay != float(scanned)


def test_index_of_scan_over_arange_is_strong_fori_index_is_weak():
    """`x * i` with an int8 `x` stays int8 with a Python int `i`. Scanned over `jnp.arange`,
    `i` is a strong int32 and the product turns int32; fori_loop's index (Python bounds) is a
    weak int32 and keeps int8."""
    x = jnp.ones((), jnp.int8)
    assert (x * 3).dtype == jnp.int8
    _, ys = lax.scan(lambda c, i: (c, x * i), 0, jnp.arange(3))
    assert ys.dtype == jnp.int32
    kept = lax.fori_loop(0, 3, lambda i, c: x * i, jnp.zeros((), jnp.int8))
    assert kept.dtype == jnp.int8


def test_python_int_overflows_as_int32_carry():
    seed = 1
    for _ in range(5):
        seed = seed * 1103515245 + 12345
    scanned = lax.scan(lambda s, _: (s * 1103515245 + 12345, None), 1, None, length=5)[0]
    assert seed != int(scanned)


# -- Outputs ---------------------------------------------------------------------------------
def test_reverse_scan_stores_outputs_in_index_order():
    xs = jnp.arange(4.0)
    _, ys = lax.scan(lambda c, x: (c + x, c + x), 0.0, xs, reverse=True)
    python = []
    acc = 0.0
    for x in reversed(xs):
        acc = acc + x
        python.append(acc)
    np.testing.assert_array_equal(ys[::-1], jnp.stack(python))


def test_jnp_array_of_tuples_is_one_array_not_a_pytree():
    outs = [(jnp.float32(1), jnp.float32(2)), (jnp.float32(3), jnp.float32(4))]
    assert jnp.array(outs).shape == (2, 2)
    _, ys = lax.scan(lambda c, x: (c, (x, x + 1)), 0.0, jnp.array([1.0, 3.0]))
    assert isinstance(ys, tuple)


def test_stack_of_python_scalars_is_weak_array_is_strong():
    assert _aval(jnp.stack([1.0, 2.0]))[2] is True
    assert _aval(jnp.array([1.0, 2.0]))[2] is False


def test_sequential_sum_is_not_a_reduction():
    xs = np.asarray(jax.random.normal(jax.random.key(0), (1000,)) * 1000, np.float32)
    total = np.float32(0.0)
    for x in xs:  # float32 adds one by one, as the Python loop over a jax array does
        total = np.float32(total + x)
    assert float(total) != float(jnp.sum(jnp.asarray(xs)))


# -- Iteration forms -------------------------------------------------------------------------
def test_zip_truncates_scan_raises():
    a, b = jnp.ones(5), jnp.ones(3)
    assert len(list(zip(a, b))) == 3
    with pytest.raises(ValueError, match="leading axis"):
        lax.scan(lambda c, xy: (c + xy[0] * xy[1], None), 0.0, (a, b))


def test_range_to_slice_is_wrong_for_negative_stop():
    xs = jnp.arange(5.0)
    assert xs[4:-1:-1].shape == (0,)
    assert jnp.arange(4, -1, -1).shape == (5,)


def test_traced_index_cannot_index_python_sequences():
    table = [1.0, 2.0, 3.0]
    with pytest.raises(TypeError):
        lax.fori_loop(0, 3, lambda i, c: c + table[i], 0.0)


def test_out_of_bounds_traced_index_clamps():
    xs = jnp.arange(5.0)
    assert float(jax.jit(lambda i: xs[i])(7)) == 4.0


# -- Gradients -------------------------------------------------------------------------------
def test_while_loop_is_not_reverse_differentiable():
    def f(x):
        return lax.while_loop(lambda c: c[1] < 3, lambda c: (c[0] * 2.0, c[1] + 1), (x, 0))[0]
    with pytest.raises(ValueError, match="Reverse-mode"):
        jax.grad(f)(1.0)
    assert float(jax.jacfwd(f)(1.0)) == 8.0


def test_masked_step_poisons_gradients_without_a_guard():
    z = jnp.array([4.0, 2.0, 0.0, 1.0])

    def naive(z):
        def step(c, x):
            acc, done = c
            done = done | (x < 1.0)
            return (jnp.where(done, acc, acc + jnp.log(x)), done), None
        return lax.scan(step, (0.0, False), z)[0][0]

    def guarded(z):
        def step(c, x):
            acc, done = c
            done = done | (x < 1.0)
            safe = jnp.where(done, 1.0, x)
            return (jnp.where(done, acc, acc + jnp.log(safe)), done), None
        return lax.scan(step, (0.0, False), z)[0][0]

    assert bool(jnp.isnan(jax.grad(naive)(z)).any())
    np.testing.assert_allclose(jax.grad(guarded)(z), [0.25, 0.5, 0.0, 0.0])


def test_where_promotes_and_broadcasts():
    """`jnp.where(done, a, b)` for an early return: the two paths' dtypes and shapes merge."""
    out = jnp.where(True, jnp.int32(1), jnp.float32(2.0))
    assert out.dtype == jnp.float32
    assert jnp.where(True, jnp.zeros(()), jnp.zeros(3)).shape == (3,)


# -- Side effects ----------------------------------------------------------------------------
def test_lax_body_runs_python_once():
    calls = []

    def body(c, x):
        calls.append(1)
        return c + x, None
    lax.scan(body, 0.0, jnp.arange(5.0))
    assert len(calls) == 1


# -- flax nnx --------------------------------------------------------------------------------
nnx = pytest.importorskip("flax.nnx")


def test_mutating_a_variable_in_a_lax_body_raises():
    count = nnx.Variable(jnp.zeros((), jnp.int32))

    def body(i, h):
        count[...] = count[...] + 1
        return h
    with pytest.raises(Exception, match="(?i)trace"):
        lax.fori_loop(0, 3, body, 0.0)


def test_ellipsis_write_casts_and_broadcasts_set_value_replaces():
    v = nnx.Variable(jnp.zeros(3))
    v[...] = 5.0
    assert v[...].shape == (3,)
    w = nnx.Variable(jnp.zeros(3))
    w.set_value(jnp.float32(5.0))
    assert w.get_value().shape == ()
    i = nnx.Variable(jnp.zeros((), jnp.int32))
    i[...] = 1.7
    assert i[...].dtype == jnp.int32 and int(i[...]) == 1


def test_value_access_is_deprecated():
    v = nnx.Variable(jnp.zeros(3))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        _ = v.value
    assert any(issubclass(w.category, DeprecationWarning) for w in caught)
