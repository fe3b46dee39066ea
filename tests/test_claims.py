"""The catalog's messages say what really happens.

Each test writes a small program to ``tmp_path``, imports it, runs it with the real jax / flax,
and checks the behaviour the rule's message promises (unrolling, the exact exception class,
a leaked tracer, ...). The same source text is linted, and the rule must fire on the offending
line of that very program, while the fixed versions the message recommends stay quiet and give
the same result.
"""
from __future__ import annotations

import importlib.util
import re
import sys
import textwrap
import uuid
import warnings
from pathlib import Path

import numpy as np
import pytest

jax = pytest.importorskip("jax")
jnp = pytest.importorskip("jax.numpy")
flax = pytest.importorskip("flax")
from flax import nnx  # noqa: E402

from jaxloop_lint import lint_source  # noqa: E402


# --- helpers -------------------------------------------------------------------------------

class Program:
    """A program written to disk, imported as a module, and linted from the same text."""

    def __init__(self, tmp_path: Path, source: str):
        self.source = textwrap.dedent(source).lstrip("\n")
        name = f"jxl_claim_{uuid.uuid4().hex[:12]}"
        self.path = tmp_path / f"{name}.py"
        self.path.write_text(self.source, encoding="utf-8")
        spec = importlib.util.spec_from_file_location(name, self.path)
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        try:
            spec.loader.exec_module(module)
        finally:
            sys.modules.pop(name, None)
        self.module = module
        self.diagnostics = lint_source(self.source, str(self.path))

    def __getattr__(self, item):
        return getattr(self.module, item)

    def line_of(self, snippet: str) -> int:
        hits = [i for i, text in enumerate(self.source.splitlines(), 1) if snippet in text]
        assert len(hits) == 1, f"{snippet!r} occurs {len(hits)} times in the program"
        return hits[0]

    def findings(self) -> set[tuple[str, int]]:
        return {(d.code, d.line) for d in self.diagnostics}

    def message(self, code: str, snippet: str) -> str:
        """What the tool says about the finding: its one line and its detail (the remedies)."""
        d = self.diagnostic(code, snippet)
        return f"{d.message}\n{d.detail}"

    def headline(self, code: str, snippet: str) -> str:
        """The one line flake8 prints: what happens ("unrolls", "raises ...") must be in it."""
        return self.diagnostic(code, snippet).message

    def diagnostic(self, code: str, snippet: str):
        line = self.line_of(snippet)
        hits = [d for d in self.diagnostics if d.code == code and d.line == line]
        assert hits, (f"{code} did not fire on line {line} ({snippet!r}); "
                      f"findings: {sorted(self.findings())}\n{self.source}")
        return hits[0]

    def assert_findings(self, *expected: tuple[str, str]) -> None:
        """Exactly these (code, line-snippet) findings: the fixed variants stay quiet."""
        want = {(code, self.line_of(snippet)) for code, snippet in expected}
        got = self.findings()
        assert got == want, (f"lint findings differ: missing {sorted(want - got)}, "
                             f"unexpected {sorted(got - want)}\n{self.source}")


def _subjaxprs(value):
    if hasattr(value, "eqns"):                       # Jaxpr
        yield value
    elif hasattr(value, "jaxpr") and hasattr(value.jaxpr, "eqns"):   # ClosedJaxpr
        yield value.jaxpr
    elif isinstance(value, (tuple, list)):
        for v in value:
            yield from _subjaxprs(v)


def walk_eqns(jaxpr):
    """Every equation, recursing into sub-jaxprs (a jitted function is one top-level eqn)."""
    jaxpr = getattr(jaxpr, "jaxpr", jaxpr)
    for eqn in jaxpr.eqns:
        yield eqn
        for param in eqn.params.values():
            for sub in _subjaxprs(param):
                yield from walk_eqns(sub)


def eqn_count(fn, *args) -> int:
    return sum(1 for _ in walk_eqns(jax.make_jaxpr(fn)(*args)))


def primitives(fn, *args) -> set[str]:
    return {e.primitive.name for e in walk_eqns(jax.make_jaxpr(fn)(*args))}


def assert_unrolls(fn, make_args, lengths=(4, 8, 16)):
    """The jaxpr grows exactly linearly with T and contains no lax loop primitive."""
    counts = [eqn_count(fn, *make_args(t)) for t in lengths]
    per_step = (counts[1] - counts[0]) / (lengths[1] - lengths[0])
    assert per_step >= 1, f"jaxpr does not grow with T: {dict(zip(lengths, counts))}"
    for t, c in zip(lengths, counts):
        assert c == counts[0] + per_step * (t - lengths[0]), (
            f"jaxpr size is not linear in T: {dict(zip(lengths, counts))}")
    assert not primitives(fn, *make_args(lengths[-1])) & {"scan", "while"}
    return counts


def assert_constant_size(fn, make_args, lengths=(4, 16)):
    counts = [eqn_count(fn, *make_args(t)) for t in lengths]
    assert counts[0] == counts[1], f"the fixed version still grows: {counts}"
    assert primitives(fn, *make_args(lengths[0])) & {"scan", "while"}


def rnn_args(t, dim=3):
    W = jnp.asarray(np.random.default_rng(0).normal(size=(dim, dim)) * 0.3, jnp.float32)
    xs = jnp.asarray(np.random.default_rng(1).normal(size=(t, dim)), jnp.float32)
    return W, jnp.zeros(dim, jnp.float32), xs


# --- JXL101 / JXL102: unrolling ------------------------------------------------------------

LOOP_PROGRAM = """
import jax
import jax.numpy as jnp


@jax.jit
def rnn_for(W, h, xs):
    for x in xs:
        h = jnp.tanh(W @ h + x)
    return h


@jax.jit
def rnn_range(W, h, xs):
    for t in range(xs.shape[0]):
        h = jnp.tanh(W @ h + xs[t])
    return h


@jax.jit
def rnn_scan(W, h, xs):
    h, _ = jax.lax.scan(lambda h, x: (jnp.tanh(W @ h + x), None), h, xs)
    return h


@jax.jit
def rnn_fori(W, h, xs):
    return jax.lax.fori_loop(0, xs.shape[0], lambda t, h: jnp.tanh(W @ h + xs[t]), h)
"""


@pytest.fixture(scope="module")
def loop_program(tmp_path_factory):
    return Program(tmp_path_factory.mktemp("loops"), LOOP_PROGRAM)


def test_jxl101_for_over_traced_array_unrolls(loop_program):
    p = loop_program
    msg = p.message("JXL101", "for x in xs:")
    assert_unrolls(p.rnn_for, rnn_args)
    # "unrolls {trips} times": the expression the message names is the trip count.
    trips = re.search(r"unrolls (.+?) times", p.headline("JXL101", "for x in xs:")).group(1)
    for t in (4, 7):
        assert eval(trips, {"xs": np.zeros((t, 3))}) == t, msg
    # "use jax.lax.scan over it": constant size, same result.
    assert "jax.lax.scan" in msg
    assert_constant_size(p.rnn_scan, rnn_args)
    args = rnn_args(16)
    np.testing.assert_allclose(p.rnn_for(*args), p.rnn_scan(*args), rtol=1e-6, atol=1e-6)


def test_jxl102_range_over_shape_unrolls(loop_program):
    p = loop_program
    msg = p.message("JXL102", "for t in range(xs.shape[0]):")
    assert_unrolls(p.rnn_range, rnn_args)
    bound = re.search(r"unrolls (.+?) times",
                      p.headline("JXL102", "for t in range(xs.shape[0]):")).group(1)
    assert eval(bound, {"xs": np.zeros((9, 3))}) == 9, msg
    assert "jax.lax.scan" in msg and "jax.lax.fori_loop" in msg
    assert_constant_size(p.rnn_scan, rnn_args)
    assert_constant_size(p.rnn_fori, rnn_args)
    args = rnn_args(16)
    np.testing.assert_allclose(p.rnn_range(*args), p.rnn_fori(*args), rtol=1e-6, atol=1e-6)


def test_loop_program_findings_are_exact(loop_program):
    loop_program.assert_findings(("JXL101", "for x in xs:"),
                                 ("JXL102", "for t in range(xs.shape[0]):"))


# --- JXL103: range over a traced int -------------------------------------------------------

def test_jxl103_range_over_traced_int_raises(tmp_path):
    p = Program(tmp_path, """
        from functools import partial

        import jax
        import jax.numpy as jnp


        @jax.jit
        def iterate(x, n):
            for _ in range(n):
                x = jnp.cos(x)
            return x


        @partial(jax.jit, static_argnames=("n",))
        def iterate_static(x, n):
            for _ in range(n):
                x = jnp.cos(x)
            return x


        @jax.jit
        def iterate_fori(x, n):
            return jax.lax.fori_loop(0, n, lambda i, x: jnp.cos(x), x)
    """)
    # `for _ in range(n):` occurs twice; the traced one is the first (in `iterate`).
    line = p.source.splitlines().index("    for _ in range(n):") + 1
    hits = [d for d in p.diagnostics if d.code == "JXL103" and d.line == line]
    assert hits, f"JXL103 did not fire on line {line}: {sorted(p.findings())}"
    msg = f"{hits[0].message}\n{hits[0].detail}"
    assert {(d.code, d.line) for d in p.diagnostics} == {("JXL103", line)}, (
        "the static and fori_loop versions must stay quiet")
    assert "`n`" in msg

    with pytest.raises(jax.errors.TracerIntegerConversionError) as info:
        p.iterate(jnp.float32(1.0), 3)
    assert type(info.value).__name__ in hits[0].message
    # The two fixes the message offers both work and agree with plain Python.
    expected = 1.0
    for _ in range(3):
        expected = np.cos(np.float32(expected))
    assert "fori_loop" in msg and "static" in msg
    np.testing.assert_allclose(p.iterate_static(jnp.float32(1.0), 3), expected, rtol=1e-6)
    np.testing.assert_allclose(p.iterate_fori(jnp.float32(1.0), 3), expected, rtol=1e-6)


# --- JXL104: while on a traced condition ---------------------------------------------------

def test_jxl104_while_on_traced_condition_raises(tmp_path):
    p = Program(tmp_path, """
        import jax
        import jax.numpy as jnp


        @jax.jit
        def newton_sqrt(a):
            x = a
            err = jnp.inf
            while err > 1e-4:
                x_new = 0.5 * (x + a / x)
                err = jnp.abs(x_new - x)
                x = x_new
            return x


        @jax.jit
        def newton_sqrt_fixed(a):
            def body(state):
                x, _ = state
                x_new = 0.5 * (x + a / x)
                return x_new, jnp.abs(x_new - x)

            x, _ = jax.lax.while_loop(lambda s: s[1] > 1e-4, body, (a, jnp.inf))
            return x
    """)
    msg = p.message("JXL104", "while err > 1e-4:")
    p.assert_findings(("JXL104", "while err > 1e-4:"))
    with pytest.raises(jax.errors.TracerBoolConversionError) as info:
        p.newton_sqrt(jnp.float32(2.0))
    assert type(info.value).__name__ in p.headline("JXL104", "while err > 1e-4:")
    assert "jax.lax.while_loop" in msg
    with jax.disable_jit():
        reference = p.newton_sqrt(jnp.float32(2.0))
    np.testing.assert_allclose(p.newton_sqrt_fixed(jnp.float32(2.0)), reference, rtol=1e-6)
    np.testing.assert_allclose(reference, np.sqrt(2.0), rtol=1e-5)


# --- JXL201: append then stack -------------------------------------------------------------

def test_jxl201_append_then_stack_is_unrolled_scan_outputs(tmp_path):
    p = Program(tmp_path, """
        import jax
        import jax.numpy as jnp


        @jax.jit
        def rnn_states(W, h, xs):
            outs = []
            for x in xs:
                h = jnp.tanh(W @ h + x)
                outs.append(h)
            return jnp.stack(outs)


        @jax.jit
        def rnn_states_scan(W, h, xs):
            def step(h, x):
                h = jnp.tanh(W @ h + x)
                return h, h

            _, ys = jax.lax.scan(step, h, xs)
            return ys
    """)
    msg = p.message("JXL201", "outs.append(h)")
    p.assert_findings(("JXL101", "for x in xs:"), ("JXL201", "outs.append(h)"))
    assert "`outs`" in msg and "jax.lax.scan" in msg
    assert_unrolls(p.rnn_states, rnn_args)
    assert_constant_size(p.rnn_states_scan, rnn_args)
    args = rnn_args(12)
    a, b = p.rnn_states(*args), p.rnn_states_scan(*args)
    assert a.shape == b.shape == (12, 3) and a.dtype == b.dtype
    np.testing.assert_allclose(a, b, rtol=1e-6, atol=1e-6)


# --- JXL202: growing concatenate -----------------------------------------------------------

def test_jxl202_growing_concatenate_copies_quadratically(tmp_path):
    p = Program(tmp_path, """
        import jax
        import jax.numpy as jnp


        @jax.jit
        def doubled_history(xs):
            hist = jnp.zeros((0,) + xs.shape[1:])
            for x in xs:
                hist = jnp.concatenate([hist, 2.0 * x[None]])
            return hist


        @jax.jit
        def doubled_history_prealloc(xs):
            out = jnp.zeros_like(xs)
            return jax.lax.fori_loop(0, xs.shape[0], lambda i, o: o.at[i].set(2.0 * xs[i]), out)


        @jax.jit
        def doubled_history_scan(xs):
            return jax.lax.scan(lambda c, x: (c, 2.0 * x), 0.0, xs)[1]
    """)
    msg = p.message("JXL202", "hist = jnp.concatenate")
    p.assert_findings(("JXL101", "for x in xs:"), ("JXL202", "hist = jnp.concatenate"))
    assert "`hist`" in msg

    T, D = 10, 3
    xs = jnp.arange(T * D, dtype=jnp.float32).reshape(T, D)
    concats = [e for e in walk_eqns(jax.make_jaxpr(p.doubled_history)(xs))
               if e.primitive.name == "concatenate"]
    rows = [e.outvars[0].aval.shape[0] for e in concats]
    # "a new shape at each step": 1, 2, ..., T rows.
    assert rows == list(range(1, T + 1)), rows
    # "quadratic copying": T(T+1)/2 rows are written in total, against T for the fixes.
    assert sum(rows) == T * (T + 1) // 2
    assert "at[i].set" in msg and "jax.lax.scan" in msg
    expected = p.doubled_history(xs)
    np.testing.assert_array_equal(p.doubled_history_prealloc(xs), expected)
    np.testing.assert_array_equal(p.doubled_history_scan(xs), expected)


# --- JXL203: a lax body writing outer Python state -----------------------------------------

def test_jxl203_outer_state_is_written_once_and_leaks(tmp_path):
    p = Program(tmp_path, """
        import jax
        import jax.numpy as jnp


        def collect(xs):
            outs = []

            def body(c, x):
                outs.append(2.0 * x)
                return c + x, None

            c, _ = jax.lax.scan(body, 0.0, xs)
            return c, outs


        def count_steps(xs):
            n = 0

            def body(c, x):
                nonlocal n
                n = n + 1
                return c + x, None

            jax.lax.scan(body, 0.0, xs)
            return n


        def collect_fixed(xs):
            def body(c, x):
                return c + x, 2.0 * x

            return jax.lax.scan(body, 0.0, xs)
    """)
    msg = p.message("JXL203", "outs.append(2.0 * x)")
    p.message("JXL203", "n = n + 1")
    p.assert_findings(("JXL203", "outs.append(2.0 * x)"), ("JXL203", "n = n + 1"))
    xs = jnp.arange(5.0)

    # "runs once at trace time, not once per step"
    assert "runs once at trace time" in p.headline("JXL203", "outs.append(2.0 * x)")
    c, outs = p.collect(xs)
    assert float(c) == 10.0
    assert len(outs) == 1
    assert p.count_steps(xs) == 1
    assert float(jax.jit(lambda xs: p.collect(xs)[0])(xs)) == 10.0   # jit: no error either
    # "... and leaks a tracer (UnexpectedTracerError when used)"
    with pytest.raises(jax.errors.UnexpectedTracerError) as info:
        jnp.stack(outs)
    assert type(info.value).__name__ in msg
    # "return the value from the body instead"
    c, ys = p.collect_fixed(xs)
    np.testing.assert_array_equal(ys, 2.0 * np.arange(5.0))


# --- JXL204: in-place item assignment ------------------------------------------------------

ITEM_PROGRAM = """
import jax
import jax.numpy as jnp


@jax.jit
def set_first(x: jax.Array):
    x[0] = 5.0
    return x


@jax.jit
def bump(i):
    z = jnp.zeros(3)
    z[i] += 1.0
    return z
"""


def test_jxl204_item_assignment_raises_and_the_suggested_rewrite_works(tmp_path):
    p = Program(tmp_path, ITEM_PROGRAM)
    p.assert_findings(("JXL204", "x[0] = 5.0"), ("JXL204", "z[i] += 1.0"))
    msg_set = p.message("JXL204", "x[0] = 5.0")
    msg_add = p.message("JXL204", "z[i] += 1.0")

    x = jnp.arange(3.0)
    for disable_jit in (False, True):          # under jit, and eagerly too
        with jax.disable_jit(disable_jit):
            for call in (lambda: p.set_first(x), lambda: p.bump(1)):
                with pytest.raises(TypeError) as info:
                    call()
                assert "immutable" in str(info.value)
    assert "raises TypeError" in p.headline("JXL204", "x[0] = 5.0")
    assert "raises TypeError" in p.headline("JXL204", "z[i] += 1.0")

    # Apply the rewrite the message spells out ("write `x = x.at[0].set(5.0)`") and run it.
    fixed = p.source
    for snippet, msg in (("x[0] = 5.0", msg_set), ("z[i] += 1.0", msg_add)):
        suggestion = re.search(r"write `([^`]+)`", msg).group(1)
        fixed = fixed.replace(snippet, suggestion)
    q = Program(tmp_path, fixed)
    assert q.findings() == set(), f"the suggested rewrite is still reported:\n{fixed}"
    np.testing.assert_array_equal(q.set_first(x), [5.0, 1.0, 2.0])
    np.testing.assert_array_equal(q.bump(1), [0.0, 1.0, 0.0])
    with jax.disable_jit():
        np.testing.assert_array_equal(q.bump(2), [0.0, 0.0, 1.0])


ARGUMENT_WRITES = """
import jax
import jax.numpy as jnp


@jax.jit
def rebound(probs, banned):
    probs = jnp.exp(probs - probs.max())
    probs[banned] = 0.0
    return probs


@jax.jit
def annotated(probs: jax.Array, banned):
    probs[banned] = 0.0
    return probs


@jax.jit
def reshaped(probs, banned):
    probs = probs.reshape(-1)
    probs[banned] = 0.0
    return probs


@jax.jit
def sometimes(probs, banned, flag):
    if flag:
        probs = probs * 2.0
    probs[banned] = 0.0
    return probs


@jax.jit
def sliced(probs, banned):
    view = probs[1:]
    view[banned] = 0.0
    return view
"""


@pytest.mark.parametrize("name, flags", [
    ("rebound", [()]), ("annotated", [()]), ("reshaped", [()]), ("sometimes", [(0,), (1,)]),
    ("sliced", [()]),
])
def test_jxl204_argument_notes_say_what_numpy_does(tmp_path, name, flags):
    """The fix's unsafe note about the caller's array is true: the original run with numpy (the
    in-place semantics it was written for) updates the caller's array exactly when the note
    says it does ("is an argument"), possibly when it says "may", and never without a note
    (``probs`` rebound to a new array before the write once drew "is an argument")."""
    p = Program(tmp_path, ARGUMENT_WRITES)
    [d] = [d for d in p.diagnostics if d.code == "JXL204"
           and p.line_of(f"def {name}(") < d.line <= p.line_of(f"def {name}(") + 4]
    numpy_src = p.source.replace("import jax.numpy as jnp", "import numpy as jnp").replace(
        "@jax.jit\n", "").replace("jax.Array", "object")
    scope: dict = {}
    exec(compile(numpy_src, "numpy_version", "exec"), scope)
    updated = []
    for extra in flags:
        caller = np.arange(1.0, 5.0)
        scope[name](caller, 1, *extra)
        updated.append(not np.array_equal(caller, np.arange(1.0, 5.0)))
    description = d.fix.description
    if all(updated):
        assert "is an argument" in description or "may still hold" in description, description
    elif any(updated):
        assert "may still hold" in description, description
    else:
        assert "argument" not in description, description
    if "is an argument" in description:
        assert all(updated)


# --- JXL301 / JXL302: nnx Variables in lax bodies ------------------------------------------

NNX_PROGRAM = """
import jax
import jax.numpy as jnp
from flax import nnx


class RNN(nnx.Module):
    def __init__(self, dim: int, rngs: nnx.Rngs):
        self.W = nnx.Param(0.3 * jax.random.normal(rngs.params(), (dim, dim)))
        self.b = nnx.Param(jnp.full((dim,), 0.1))

    def __call__(self, h):
        def body(i, h):
            return jnp.tanh(self.W[...] @ h + self.b[...])

        return jax.lax.fori_loop(0, 5, body, h)

    def hoisted(self, h):
        W = self.W[...]
        b = self.b[...]

        def body(i, h):
            return jnp.tanh(W @ h + b)

        return jax.lax.fori_loop(0, 5, body, h)


class Counter(nnx.Module):
    def __init__(self):
        self.count = nnx.Variable(jnp.array(0))

    def __call__(self, h):
        def body(i, h):
            self.count[...] += 1
            return h * 0.5

        return jax.lax.fori_loop(0, 4, body, h)

    def carried(self, h):
        def body(i, carry):
            h, count = carry
            return h * 0.5, count + 1

        h, count = jax.lax.fori_loop(0, 4, body, (h, self.count[...]))
        self.count[...] = count
        return h


def run_lifted(m, h):
    def body(i, carry):
        m, h = carry
        m.count[...] += 1
        return m, h * 0.5

    m, h = nnx.fori_loop(0, 4, body, (m, h))
    return h
"""


@pytest.fixture(scope="module")
def nnx_program(tmp_path_factory):
    return Program(tmp_path_factory.mktemp("nnx"), NNX_PROGRAM)


def test_nnx_program_findings_are_exact(nnx_program):
    p = nnx_program
    line = p.line_of("return jnp.tanh(self.W[...] @ h + self.b[...])")
    got = {(d.code, d.line, d.col) for d in p.diagnostics}
    text = p.source.splitlines()[line - 1]
    assert got == {
        ("JXL301", line, text.index("self.W")),
        ("JXL301", line, text.index("self.b")),
        ("JXL302", p.line_of("self.count[...] += 1"), 12),
    }, sorted(got)


def test_jxl301_closure_reads_work_and_match_the_hoisted_version(nnx_program):
    p = nnx_program
    msg = p.message("JXL301", "return jnp.tanh(self.W[...] @ h + self.b[...])")
    assert "W = self.W[...]" in msg or "b = self.b[...]" in msg
    model = p.RNN(4, nnx.Rngs(0))
    h0 = jnp.ones(4)
    with warnings.catch_warnings():
        warnings.simplefilter("error")              # and silently: no warnings either
        eager = model(h0)
        jitted = nnx.jit(lambda m, h: m(h))(model, h0)
        closed = jax.jit(lambda h: model(h))(h0)
    reference = model.hoisted(h0)
    np.testing.assert_allclose(eager, reference, rtol=1e-6, atol=1e-7)
    np.testing.assert_allclose(jitted, reference, rtol=1e-6, atol=1e-7)
    np.testing.assert_allclose(closed, reference, rtol=1e-6, atol=1e-7)


def test_jxl302_variable_mutation_in_lax_body_raises(nnx_program):
    p = nnx_program
    msg = p.message("JXL302", "self.count[...] += 1")
    counter = p.Counter()
    with pytest.raises(flax.errors.TraceContextError) as info:
        counter(jnp.float32(1.0))
    assert int(counter.count[...]) == 0
    with pytest.raises(flax.errors.TraceContextError):
        nnx.jit(lambda m, h: m(h))(counter, jnp.float32(1.0))
    assert f"raises flax.errors.{type(info.value).__name__}" in p.headline(
        "JXL302", "self.count[...] += 1")
    # Fix 1, "carry its value through the loop and write it back after".
    fixed = p.Counter()
    assert float(fixed.carried(jnp.float32(1.0))) == 1.0 / 16
    assert int(fixed.count[...]) == 4
    # Fix 2, "use nnx.<loop> with the module in the carry".
    loop = re.search(r"nnx\.(\w+) with the module in the carry", msg).group(1)
    assert loop == "fori_loop" and hasattr(nnx, loop)
    lifted = p.Counter()
    assert float(p.run_lifted(lifted, jnp.float32(1.0))) == 1.0 / 16
    assert int(lifted.count[...]) == 4
    lifted_jit = p.Counter()
    nnx.jit(p.run_lifted)(lifted_jit, jnp.float32(1.0))
    assert int(lifted_jit.count[...]) == 4


STATEFUL_PROGRAM = """
import jax
import jax.numpy as jnp
from flax import nnx


class Block(nnx.Module):
    def __init__(self, rngs: nnx.Rngs):
        self.norm = nnx.BatchNorm(3, rngs=rngs)
        self.drop = nnx.Dropout(0.5, rngs=rngs)
        self.rngs = rngs

    def __call__(self, xs, which):
        def step(h, x):
            if which == "norm":
                h = self.norm(h + x)
            elif which == "drop":
                h = self.drop(h + x)
            else:
                h = h + jax.random.normal(self.rngs.noise(), h.shape)
            return h, None

        return jax.lax.scan(step, jnp.zeros(3), xs)[0]
"""


def test_jxl302_stateful_submodules_raise_in_training_mode(tmp_path):
    p = Program(tmp_path, STATEFUL_PROGRAM)
    for call, kind in (("self.norm(h + x)", "BatchNorm in training mode"),
                       ("self.drop(h + x)", "Dropout in training mode"),
                       ("self.rngs.noise()", "Rngs")):
        msg = p.message("JXL302", call)
        assert f"(nnx.{kind})" in msg and "no automatic fix" in msg
    block = p.Block(nnx.Rngs(0, noise=1))
    xs = jnp.ones((4, 3))
    for which in ("norm", "drop", "noise"):
        with pytest.raises(flax.errors.TraceContextError):
            nnx.jit(lambda m, x: m(x, which))(block, xs)
    block.eval()  # BatchNorm and Dropout stop updating themselves; Rngs still count
    for which in ("norm", "drop"):
        nnx.jit(lambda m, x: m(x, which))(block, xs)
    with pytest.raises(flax.errors.TraceContextError):
        nnx.jit(lambda m, x: m(x, "noise"))(block, xs)
