"""How the Variable fixes spell reads and write-backs (``flax-api``). Every fixed program here
is also run: under nnx.jit against the original under ``jax.disable_jit()`` (the only place a
Variable write in a lax body runs), output and Variable state compared."""
from __future__ import annotations

import textwrap

import numpy as np
import pytest

from fixers.apply import fix_source
from jaxloop_lint import Config

jax = pytest.importorskip("jax")
nnx = pytest.importorskip("flax.nnx")


def assert_runs_like_original(source: str, fixed: str) -> None:
    """``Counter()(h)``: the fixed module under nnx.jit equals the original run eagerly."""
    import warnings

    def build(text):
        namespace: dict = {}
        exec(compile(text, "<fixture>", "exec"), namespace)
        return namespace["Counter"]()

    h = jax.numpy.arange(2.0)
    original = build(source)
    with jax.disable_jit(), warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)  # the legacy file's own .value
        expected = original(h)
    rewritten = build(fixed)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        got = nnx.jit(lambda m, x: m(x))(rewritten, h)
    np.testing.assert_allclose(got, expected, rtol=1e-6)
    np.testing.assert_allclose(rewritten.n.get_value(), original.n.get_value())

LEGACY = textwrap.dedent('''\
    import jax
    import jax.numpy as jnp
    from flax import nnx


    class Counter(nnx.Module):
        def __init__(self):
            self.n = nnx.Variable(jnp.zeros(()))
            self.w = nnx.Param(jnp.ones((2, 2)))

        def __call__(self, h):
            def body(i, h):
                self.n.value += 1.0
                return self.w.value @ h

            h = jax.lax.fori_loop(0, 3, body, h)
            return h
''')


@pytest.mark.parametrize("api, read, write", [
    ("auto", "self.n.value", "self.n.value = n"),       # the file only uses .value
    ("legacy", "self.n.value", "self.n.value = n"),
    ("current", "self.n[...]", "self.n.set_value(n)"),  # .value writes replace the payload
])
def test_flax_api_spelling(api, read, write):
    fixed = fix_source(LEGACY, config=Config(flax_api=api)).fixed
    assert_runs_like_original(LEGACY, fixed)
    assert f"(h, {read}))" in fixed
    assert write in fixed
    assert ("w = self.w[...]" in fixed) == (api == "current")


def test_auto_is_current_when_the_file_uses_the_new_api():
    source = LEGACY.replace("return self.w.value @ h", "return self.w[...] @ h")
    fixed = fix_source(source).fixed
    assert_runs_like_original(source, fixed)
    assert "(h, self.n[...]))" in fixed and "self.n.set_value(n)" in fixed


def test_unknown_flax_api_is_rejected():
    with pytest.raises(ValueError, match="flax_api"):
        Config(flax_api="newest")


def test_write_on_a_one_line_suite():
    """``if h.ndim == 1: self.n.value += 1.0`` (a static condition) on a one-line suite: the
    write is rewritten in place (the plan lands whole) and the condition stays."""
    source = LEGACY.replace("            self.n.value += 1.0\n",
                            "            if h.ndim == 1: self.n.value += 1.0\n")
    assert source != LEGACY
    fixed = fix_source(source).fixed
    assert_runs_like_original(source, fixed)
    assert "if h.ndim == 1: n += 1.0" in fixed and "self.n.value = n" in fixed


@pytest.mark.parametrize("flag, write", [
    ("hijax=True", "self.n[...] += 1.0"),   # a hijax Variable has no .value
    ("hijax=True", "self.n.set_value(self.n[...] + 1.0)"),
    ("ref=True", "self.n[...] += 1.0"),
    ("ref=True", "self.n.set_value(self.n[...] + 1.0)"),
])
def test_mutable_array_variable_writes_are_not_reported(flag, write):
    """``nnx.Variable(x, hijax=True)`` / ``ref=True`` is a mutable array: ``v[...] = x`` and
    ``v.set_value(x)`` in a lax body update it step by step, eagerly and under jax.jit, without
    TraceContextError (flax's tests/nnx/mutable_array_test.py writes a captured one in a
    jax.lax.scan body). No JXL302, no JXL203; the plain Param read next to it is still JXL301."""
    source = LEGACY.replace("jnp.zeros(()))", f"jnp.zeros(()), {flag})") \
        .replace("self.n.value += 1.0", write).replace("self.w.value", "self.w[...]")
    assert flag in source and write in source
    result = fix_source(source, unsafe=True)
    assert [d.code for d in result.applied + result.remaining] == ["JXL301"]
    # The original and the fixed module (the JXL301 hoist next to the writes), eagerly and
    # under jax.jit (nnx.jit rejects a hijax Variable in flax 0.12, original and fixed alike).
    built = []
    for text in (source, result.fixed):
        namespace: dict = {}
        exec(compile(text, "<fixture>", "exec"), namespace)
        built.append(namespace["Counter"])
    h = jax.numpy.arange(2.0)
    for run in (lambda m, x: m(x), lambda m, x: jax.jit(lambda y: m(y))(x)):
        original, fixed = built[0](), built[1]()
        expected, got = run(original, h), run(fixed, h)
        np.testing.assert_allclose(got, expected, rtol=1e-6)
        np.testing.assert_allclose(original.n[...], 3.0)  # one write per step
        np.testing.assert_allclose(fixed.n[...], 3.0)


def test_mutable_array_variable_value_write_is_still_reported():
    """``v.value += 1`` on a ``ref=True`` Variable in a lax body still raises TraceContextError:
    still JXL302."""
    source = LEGACY.replace("jnp.zeros(()))", "jnp.zeros(()), ref=True)")
    namespace: dict = {}
    exec(compile(source, "<fixture>", "exec"), namespace)
    with pytest.raises(Exception, match="different trace level"):
        namespace["Counter"]()(jax.numpy.arange(2.0))
    result = fix_source(source, unsafe=True)
    assert "JXL302" in [d.code for d in result.applied]
    assert_runs_like_original(source, result.fixed)
