"""One finding's fix as an edit (the editor's quick fixes, the JSON / SARIF reports) renders the
plan the finding carries, on the top-level statement that holds it: the same edit as fixing the
file for that finding alone, which analyses the file twice more and renders all of it."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import HALVE_PROGRAM, RNN_PROGRAM

import jaxloop_lint.core as core
from fixers import apply, cli
from fixers.edits import fix_edit, minimal_edit
from fixers.render import window
from jaxloop_lint import SourceError
from jaxloop_lint.diagnostics import Applicability

TESTS = Path(__file__).resolve().parent
CASES = sorted(p for p in [*(TESTS.parent / "examples").glob("*.py"),
                           *(TESTS / "golden").glob("*.py"), *(TESTS / "fixtures").rglob("*.py")]
               if not p.name.endswith(".fixed.py"))

# The RNN after other code: its fix is rendered on its own statement only.
PREAMBLE = '''\
"""A module with more in it than the loop."""
import jax
import jax.numpy as jnp

SCALE = 2.0  # a comment


def helper(x):
    return x * SCALE


class Thing:
    def method(self):
        return [i for i in range(3)]
'''
RNN_BODY = RNN_PROGRAM.split("\n\n\n", 1)[1]
AFTER = '''

def rnn_step(x):  # a name the fix would like: taken in the module, so not used
    return x
'''

MORE = {
    "in_a_module": PREAMBLE + "\n\n" + RNN_BODY + AFTER,
    # The first indented block uses two spaces: libcst writes new blocks with that unit.
    "two_space_unit": "import jax\nimport jax.numpy as jnp\n\nif True:\n  A = 1\n\n\n"
                      + RNN_BODY + AFTER,
    # No ``import jax`` for ``jax.lax.scan``: the fix adds it among the module's imports.
    "adds_import": RNN_PROGRAM.replace("import jax\n", "from jax import jit\n")
                              .replace("@jax.jit", "@jit") + AFTER,
    # Comments after the function, at the level of its body and of the module.
    "trailing_comments": PREAMBLE + "\n\n" + RNN_BODY + "    # the end of rnn\n# module\n" + AFTER,
    "crlf": (PREAMBLE + "\n\n" + RNN_BODY + AFTER).replace("\n", "\r\n"),
    "cr_only": (PREAMBLE + "\n\n" + RNN_BODY + AFTER).replace("\n", "\r"),
    "halve": HALVE_PROGRAM + AFTER,
}


def reference_edit(text: str, d):
    """What the edit was before: the file fixed for ``d`` alone, re-linted from scratch."""
    try:
        result = apply.fix_source(text, "x.py", only=d,
                                  unsafe=d.fix.applicability is Applicability.UNSAFE)
    except SourceError as exc:
        return ("error", str(exc))
    return minimal_edit(text, result.fixed) if result.applied else None


def plan_edit(text: str, d):
    try:
        return fix_edit(text, d)
    except SourceError as exc:
        return ("error", str(exc))


def fixes(text: str):
    return [d for d in apply.findings(text, "x.py", None, (), ()) if d.fix is not None]


@pytest.mark.parametrize("path", CASES, ids=lambda p: str(p.relative_to(TESTS.parent)))
def test_the_plan_edit_is_the_relint_edit(path):
    text = path.read_text(encoding="utf-8")
    try:
        found = fixes(text)
    except SourceError:
        pytest.skip("not analysable")
    for d in found:
        assert plan_edit(text, d) == reference_edit(text, d), (d.code, d.line)


@pytest.mark.parametrize("name", sorted(MORE))
def test_the_plan_edit_is_the_relint_edit_around_the_window(name):
    text = MORE[name]
    found = fixes(text)
    assert found
    for d in found:
        edit = plan_edit(text, d)
        assert edit is not None and edit == reference_edit(text, d), (d.code, d.line)


def test_the_window_is_used_where_it_gives_the_same_text():
    text = MORE["in_a_module"]
    (loop,) = [d for d in fixes(text) if d.code == "JXL101"]
    rendered = window.render_window(text, loop)
    assert rendered is not None
    assert rendered[0].startswith(PREAMBLE) and rendered[0].endswith(AFTER)
    # The step function's name is free in the whole module, not just in the window.
    assert "def rnn_step(" not in rendered[0].replace(AFTER, "")
    for name in ("two_space_unit", "adds_import"):
        (loop,) = [d for d in fixes(MORE[name]) if d.code == "JXL101"]
        assert window.render_window(MORE[name], loop) is None, name


def test_json_report_analyses_each_file_once(tmp_path, monkeypatch, capsys):
    """Before: 1 + 2 per finding with a fix (each edit re-linted the file, then the fixed
    file)."""
    calls = []
    analyze = core.analyze
    monkeypatch.setattr(core, "analyze", lambda *a, **k: calls.append(1) or analyze(*a, **k))
    path = tmp_path / "both.py"
    path.write_text(RNN_PROGRAM + "\n\n" + HALVE_PROGRAM.split("\n\n\n", 1)[1])
    assert cli.main(["--check", "--no-cache", "-j", "1", "--output-format", "json",
                     str(path)]) == 1
    items = json.loads(capsys.readouterr().out)
    assert sum(bool(i["fix"] and i["fix"]["edits"]) for i in items) == 3
    assert len(calls) == 1
