"""``# noqa`` on a loop protects the loop: no front end rewrites it, the findings inside stay.

``for x in xs:  # noqa: JXL101`` used to silence JXL101 only: JXL201 on the append inside still
carried the loop's rewrite, so ``jaxloop-fix --unsafe-fixes`` rewrote the loop anyway (and the
comment ended up on the new ``def``). Each front end is run as a user runs it: ``jaxloop-fix``
and flake8 as commands, the editor server over stdio.
"""
from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from conftest import installed
from lsp_client import Client

from jaxloop_lint import lint_source

RNN = textwrap.dedent("""\
    import jax
    import jax.numpy as jnp


    @jax.jit
    def rnn(w, h, xs: jax.Array):
        outs = []
        for x in xs:{comment}
            h = jnp.tanh(w @ h + x)
            outs.append(h)
        return jnp.stack(outs)
""")
LOOP_LINE, APPEND_LINE = 8, 10
REASON = "no automatic fix: `# noqa` on the loop at line 8 keeps every fix out of it"



def fix(tmp_path: Path, source: str, *options: str) -> tuple[subprocess.CompletedProcess, str]:
    path = tmp_path / "model.py"
    path.write_text(source)
    proc = subprocess.run([installed("jaxloop-fix"), "-q", "--no-cache", *options, "model.py"],
                          cwd=tmp_path, capture_output=True, text=True, timeout=60)
    return proc, path.read_text()


@pytest.mark.parametrize("comment", ["  # noqa: JXL101", "  # noqa", "  # NOQA:JXL1",
                                     "  # noqa: E501, JXL101"])
def test_a_noqa_naming_a_loop_code_keeps_every_rewrite_out(tmp_path, comment):
    source = RNN.format(comment=comment)
    proc, after = fix(tmp_path, source, "--unsafe-fixes")
    assert after == source
    assert proc.returncode == 1
    assert proc.stdout == (f"model.py:{APPEND_LINE}:9: JXL201 `outs.append` collects a traced "
                           "value per step and `outs` is stacked after the loop; "
                           f"{REASON}\n")
    proc, _ = fix(tmp_path, source, "--diff", "--unsafe-fixes")
    assert proc.stdout == "" and REASON in proc.stderr
    proc = subprocess.run([sys.executable, "-m", "flake8", "--isolated", "--select=JXL",
                           "model.py"], cwd=tmp_path, capture_output=True, text=True,
                          timeout=120)
    assert proc.stdout.splitlines() == [f"model.py:{APPEND_LINE}:9: JXL201 `outs.append` "
                                        "collects a traced value per step and `outs` is "
                                        f"stacked after the loop; {REASON}"]


def test_another_loop_code_protects_the_loop_but_hides_nothing_else(tmp_path):
    """``# noqa: JXL102`` on a JXL101 loop: flake8 still reports JXL101 (the comment does not
    name it), and the loop is left alone, which the finding says."""
    proc, after = fix(tmp_path, RNN.format(comment="  # noqa: JXL102"), "--unsafe-fixes")
    assert "jax.lax.scan" not in after
    assert [line.split(" ")[1] for line in proc.stdout.splitlines()] == ["JXL101", "JXL201"]
    assert all(line.endswith(REASON) for line in proc.stdout.splitlines())


@pytest.mark.parametrize("comment", ["", "  # noqa: E501", "  # noqa: JXL201"])
def test_other_comments_leave_the_loop_to_the_fixer(tmp_path, comment):
    """A noqa that names no loop code is not about the loop: the fix goes ahead."""
    source = RNN.format(comment=comment)
    proc, after = fix(tmp_path, source)
    assert "jax.lax.scan(" in after, proc.stdout + proc.stderr
    assert proc.returncode == 0


def test_json_and_sarif_carry_no_edit_for_a_protected_loop(tmp_path):
    source = RNN.format(comment="  # noqa: JXL101")
    proc, _ = fix(tmp_path, source, "--check", "--output-format", "json")
    [finding] = json.loads(proc.stdout)
    assert finding["code"] == "JXL201" and finding["fix"] is None
    assert finding["message"].endswith(REASON)
    proc, _ = fix(tmp_path, source, "--check", "--output-format", "sarif")
    [result] = json.loads(proc.stdout)["runs"][0]["results"]
    assert "fixes" not in result and result["ruleId"] == "JXL201"


def test_the_editor_offers_no_fix_for_a_protected_loop(tmp_path):
    pytest.importorskip("pygls")
    (tmp_path / ".git").mkdir()
    client = Client(tmp_path)
    try:
        client.initialize(tmp_path)
        path = tmp_path / "model.py"
        [diag] = client.open(path, RNN.format(comment="  # noqa: JXL101"))
        assert diag["code"] == "JXL201" and REASON in diag["message"]
        actions = client.code_actions(path, APPEND_LINE - 1)
        titles = [a["title"] for a in actions]
        assert titles == ["Ignore JXL201 on this line"], titles
        # without the comment the same request offers the rewrite
        client.change(path, RNN.format(comment=""), 2)
        titles = [a["title"] for a in client.code_actions(path, APPEND_LINE - 1)]
        assert any(t.startswith("Fix JXL201: rewrite as jax.lax.scan") for t in titles), titles
    finally:
        client.close()


NESTED = textwrap.dedent("""\
    import jax
    import jax.numpy as jnp


    @jax.jit
    def grid(xs: jax.Array, out: jax.Array):
        total = jnp.zeros(())
        for row in xs:{outer}
            for x in row:{inner}
                total = total + jnp.sin(x)
        out = jnp.zeros(3)
        for i in range(3):{third}
            out[i] = total * i
        out[0] = 1.0
        return total, out
""")


def _fixable(source: str) -> dict[int, bool]:
    """line -> does the finding there carry a fix (for every finding of ``source``)."""
    return {d.line: d.fix is not None for d in lint_source(source)}


def test_nested_loops_and_local_edits():
    """Protection covers what a fix would change inside the loop, whichever loop carries it:
    a protected inner loop keeps the outer one's rewrite out too (it would move the inner loop),
    a protected outer one the inner one's; an in-place write inside a protected loop is not
    rewritten, one after it is."""
    plain = _fixable(NESTED.format(outer="", inner="", third=""))
    assert plain == {8: True, 9: True, 13: True, 14: True}, plain
    inner = _fixable(NESTED.format(outer="", inner="  # noqa: JXL101", third=""))
    assert inner == {8: False, 9: False, 13: True, 14: True}, inner
    outer = _fixable(NESTED.format(outer="  # noqa: JXL101", inner="", third=""))
    assert outer == {8: False, 9: False, 13: True, 14: True}, outer
    third = _fixable(NESTED.format(outer="", inner="", third="  # noqa"))
    assert third == {8: True, 9: True, 13: False, 14: True}, third


def test_the_fixer_writes_nothing_into_a_protected_loop(tmp_path):
    source = NESTED.format(outer="", inner="", third="  # noqa")
    proc, after = fix(tmp_path, source, "--unsafe-fixes")
    assert "        out[i] = total * i\n" in after and "for i in range(3):  # noqa\n" in after
    assert "out = out.at[0].set(1.0)" in after and "jax.lax.scan(" in after
    assert proc.returncode == 1  # the write in the protected loop remains
