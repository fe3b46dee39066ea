"""What a finding's one line says, and what it leaves to the detail.

The line flake8 and ``jaxloop-fix`` print is short: what the code does and what happens, then
the fix and its safety with the short reason, or why there is none. The detail (``--show-fixes``,
JSON, the editor's hover) has the rest. Each claim the line makes is checked here: the trip count
against ``len(range(...))`` and against the number of copies in the traced program, the spelling
of the hoisted read against what the fix writes, the unsafe reason against the fix's notes.
"""
from __future__ import annotations

import ast
import itertools
import json
import math
import re
import statistics
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from conftest import installed
from lsp_client import Client

from jaxloop_lint import lint_source
from jaxloop_lint.reasons import headline, headlines
from jaxloop_lint.rules.trip_count import range_trips

ROOT = Path(__file__).resolve().parent.parent
CORPUS = sorted([*ROOT.glob("tests/fixtures/**/*.py"), *ROOT.glob("examples/*.py"),
                 *(p for p in ROOT.glob("tests/golden/*.py") if not p.name.endswith(".fixed.py"))])

# The one line: the rule's part (what, and what happens), then "; fix: ..." or
# "; no automatic fix: ...". Before this change they ran to 352 characters (median 203).
MAX_HEAD = 140
MAX_LINE = 240



# ------------------------------------------------------------------------------------------
# Trip counts of range loops


@pytest.mark.parametrize("call, expected", [
    ("range(n)", "n"),
    ("range(1, xs.shape[0])", "xs.shape[0] - 1"),
    ("range(0, n, 2)", "ceil(n / 2)"),
    ("range(n - 1, -1, -1)", "n"),
    ("range(xs.shape[0] - 1, 0, -1)", "xs.shape[0] - 1"),
    ("range(2, n + 3)", "n + 1"),
    ("range(a, b, 3)", "ceil((b - a) / 3)"),
    ("range(5, 2, -1)", "3"),
    ("range(0, 7, 3)", "3"),
    ("range(-n, n)", "2 * n"),
    ("range(n // 2)", "n // 2"),
    ("range(1, n, k)", None),           # the step is not a literal: "once per step"
    ("range(*bounds)", None),
])
def test_trip_count_expressions(call, expected):
    assert range_trips(ast.parse(call, mode="eval").body.args) == expected


def test_trip_count_is_len_of_range_for_any_start_stop_step():
    """Every folding is checked against Python: for each literal step (negative ones too) and
    linear bounds in n and m, the expression equals len(range(...)) wherever that is positive."""
    starts = ["0", "1", "-2", "n", "n - 1", "2 * n", "m", "n + m"]
    stops = ["n", "-1", "0", "n + 3", "m - 1", "3 * m", "n - m"]
    steps = ["", ", 1", ", 2", ", 3", ", -1", ", -2", ", -3"]
    checked = 0
    for start, stop, step in itertools.product(starts, stops, steps):
        call = f"range({start}, {stop}{step})"
        expr = range_trips(ast.parse(call, mode="eval").body.args)
        assert expr is not None, call
        for n, m in itertools.product(range(-4, 9), range(-3, 7)):
            actual = len(eval(call, {"n": n, "m": m}))
            if actual > 0:
                assert eval(expr, {"n": n, "m": m, "ceil": math.ceil}) == actual, (call, expr,
                                                                                   n, m)
                checked += 1
    assert checked > 5000


SHAPE_LOOPS = """
import jax
import jax.numpy as jnp


@jax.jit
def from_one(h, xs):
    for t in range(1, xs.shape[0]):
        h = jnp.sin(h + xs[t])
    return h


@jax.jit
def every_other(h, xs):
    for t in range(0, xs.shape[0], 2):
        h = jnp.sin(h + xs[t])
    return h


@jax.jit
def backwards_by_three(h, xs):
    for t in range(xs.shape[0] - 1, 0, -3):
        h = jnp.sin(h + xs[t])
    return h


@jax.jit
def backwards(h, xs):
    for t in reversed(range(xs.shape[0])):
        h = jnp.sin(h + xs[t])
    return h
"""


def test_the_trip_count_in_the_message_is_the_number_of_copies_traced(tmp_path):
    """"unrolls N times" is what jax does: the traced program holds N copies of the body (one
    `sin` per step), for several lengths."""
    jax = pytest.importorskip("jax")
    jnp = pytest.importorskip("jax.numpy")
    path = tmp_path / "shape_loops.py"
    path.write_text(SHAPE_LOOPS)
    scope: dict = {}
    exec(compile(SHAPE_LOOPS, str(path), "exec"), scope)
    lines = SHAPE_LOOPS.splitlines()
    found = {}
    for d in lint_source(SHAPE_LOOPS, str(path)):
        if d.code == "JXL102":
            name = next(line for line in reversed(lines[:d.line]) if line.startswith("def "))
            found[name[4:name.index("(")]] = re.search(r"unrolls (.+?) times", d.message)
    assert set(found) == {"from_one", "every_other", "backwards_by_three", "backwards"}
    for name, match in found.items():
        assert match is not None, name
        for length in (5, 8, 9):
            xs = jnp.ones((length, 2))
            jaxpr = jax.make_jaxpr(scope[name].__wrapped__)(jnp.zeros(2), xs)
            copies = sum(1 for e in jaxpr.jaxpr.eqns if e.primitive.name == "sin")
            trips = eval(match.group(1), {"xs": xs, "ceil": math.ceil})
            assert trips == copies, (name, match.group(1), length, copies)


# ------------------------------------------------------------------------------------------
# The spelling of JXL301's hoisted read


VALUE_API = """
import jax
import jax.numpy as jnp
from flax import nnx


class Decay(nnx.Module):
    def __init__(self):
        self.W = nnx.Param(jnp.eye(3))

    def __call__(self, h):
        def body(i, h):
            return jnp.tanh(self.W.value @ h)

        return jax.lax.fori_loop(0, 4, body, h)
"""


@pytest.mark.parametrize("flax_api, spelling", [("auto", "self.W.value"),
                                                ("legacy", "self.W.value"),
                                                ("current", "self.W[...]")])
def test_jxl301_names_the_read_the_fix_writes(flax_api, spelling):
    """A file on the `.value` API is told to hoist `W = self.W.value`, which the fix writes (the
    message said `W = self.W[...]` while the fix wrote `.value`)."""
    from fixers.apply import fix_source
    from jaxloop_lint import Config

    config = Config(flax_api=flax_api)
    [d] = [d for d in lint_source(VALUE_API, "decay.py", config) if d.code == "JXL301"]
    assert f"`W = {spelling}`" in d.message and f"`W = {spelling}`" in d.detail
    other = "self.W[...]" if spelling == "self.W.value" else "self.W.value"
    assert other not in d.message + d.detail
    fixed = fix_source(VALUE_API, "decay.py", config=config).fixed
    assert f"        W = {spelling}\n" in fixed


# ------------------------------------------------------------------------------------------
# Unsafe reasons in the one line


def test_headline_is_the_text_before_the_first_colon_outside_code():
    assert headline("`xs` may be a list, not an array: scan would ...") == \
        "`xs` may be a list, not an array"
    assert headline("the loop index `i` is used as a Python number (`f(a: b)`): it would") == \
        "the loop index `i` is used as a Python number (`f(a: b)`)"
    assert headline("`x[:, 0]` is read; later") == "`x[:, 0]` is read"
    assert headline("no separator here") == "no separator here"
    assert headlines(["a: x", "b; y", "a: z"]) == "a; b"
    assert headlines(["x" * 60 + ": 1", "y" * 40]) == "x" * 60 + "; and 1 more"


UNSAFE = textwrap.dedent("""\
    import jax
    import jax.numpy as jnp


    @jax.jit
    def rnn(w, h, xs):
        for x in xs:
            h = jnp.tanh(w @ h + x)
        return h
""")


def test_the_default_line_says_why_a_fix_is_unsafe(tmp_path):
    """jaxloop-fix --check and flake8 print the short reason, not a bare "(unsafe)"; the detail
    (--show-fixes) has the whole reason."""
    path = tmp_path / "rnn.py"
    path.write_text(UNSAFE)
    want = ("rnn.py:7:5: JXL101 `for` over `xs` (taken for a traced array) unrolls len(xs) "
            "times at trace time; fix: jax.lax.scan (unsafe: `xs` may be a list, not an array)")
    proc = subprocess.run([installed("jaxloop-fix"), "--check", "-q", "rnn.py"], cwd=tmp_path,
                          capture_output=True, text=True, timeout=60)
    assert (proc.returncode, proc.stdout) == (1, want + "\n"), proc.stderr
    proc = subprocess.run([sys.executable, "-m", "flake8", "--isolated", "--select=JXL",
                           "rnn.py"], cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert (proc.returncode, proc.stdout) == (1, want + "\n"), proc.stderr
    # (answered from the cache the first run filled: the detail survives it)
    proc = subprocess.run([installed("jaxloop-fix"), "--check", "-q", "--show-fixes", "rnn.py"],
                          cwd=tmp_path, capture_output=True, text=True, timeout=60)
    lines = proc.stdout.splitlines()
    assert lines[0] == want
    assert lines[1].startswith("    Python runs the body once per step while tracing")
    assert lines[2] == ("    Fix: rewrite as jax.lax.scan carrying h (unsafe: `xs` may be a list, "
                        "not an array: jax.lax.scan would step through each of its arrays "
                        "instead).")
    proc = subprocess.run([installed("jaxloop-fix"), "--check", "-q", "--output-format", "json",
                           "rnn.py"], cwd=tmp_path, capture_output=True, text=True, timeout=60)
    [item] = json.loads(proc.stdout)
    assert item["message"] == want.split(" JXL101 ", 1)[1]
    assert item["detail"] == "\n".join(line[4:] for line in lines[1:])


def test_every_unsafe_line_names_its_reasons_and_every_line_is_short():
    """Over the fixtures, the golden inputs and the examples: an unsafe fix's line carries the
    short form of its notes, a refusal's line the short form of its reason, and lines stay
    short; the detail holds the whole text."""
    heads, lines, unsafe = [], [], 0
    for path in CORPUS:
        try:
            diagnostics = lint_source(path.read_bytes(), str(path))
        except Exception:  # the corpus has deliberately broken files
            continue
        for d in diagnostics:
            head = re.split(r"; (?:no automatic )?fix: ", d.message)[0]
            heads.append(len(head))
            lines.append(len(d.message))
            assert "\n" not in d.message
            assert len(head) <= MAX_HEAD and len(d.message) <= MAX_LINE, d.message
            plan = d.fix.plan if d.fix is not None else None
            if plan is not None and plan.notes:
                unsafe += 1
                assert d.message.endswith(f"(unsafe: {headlines(plan.notes)})"), d.message
                assert f"Fix: {d.fix.description}." in d.detail
            elif d.fix is not None:
                assert d.message.endswith(" (safe)"), d.message
    assert len(lines) > 200 and unsafe > 40
    assert statistics.median(lines) < 150, statistics.median(lines)


def test_the_editor_shows_the_line_first_and_the_detail_in_the_hover(tmp_path):
    """jaxloop-lsp over stdio: the diagnostic's first line is the one flake8 prints, the lines
    after it the detail (editors list the first line and show all of it on hover)."""
    pytest.importorskip("pygls")
    (tmp_path / ".git").mkdir()
    client = Client(tmp_path)
    try:
        client.initialize(tmp_path)
        [diag] = client.open(tmp_path / "rnn.py", UNSAFE)
    finally:
        client.close()
    [d] = lint_source(UNSAFE, str(tmp_path / "rnn.py"))
    assert diag["message"] == f"{d.message}\n{d.detail}"
    assert diag["message"].splitlines()[0].endswith("(unsafe: `xs` may be a list, not an array)")
