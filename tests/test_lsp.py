"""``jaxloop-lsp``, the editor server, driven over stdio by a raw JSON-RPC client: diagnostics,
quick fixes, "ignore on this line", fix-all, [tool.jaxloop], and UTF-16 positions."""
from __future__ import annotations

from pathlib import Path

import pytest
from conftest import HALVE_PROGRAM, RNN_PROGRAM
from lsp_client import Client, apply_action, session

from fixers import cli

# The emoji is 2 UTF-16 code units: the end of JXL201's range shows whether they were counted.
RNN = RNN_PROGRAM.replace("outs.append(h)", "outs.append(h + '😀é')")


@pytest.fixture
def client(tmp_path):
    with session(tmp_path) as c:
        yield c


def by_code(diagnostics: list[dict]) -> dict[str, dict]:
    return {d["code"]: d for d in diagnostics}


def fixed_by_cli(tmp_path: Path, text: str, *options: str) -> str:
    path = tmp_path / "cli_copy" / "x.py"
    path.parent.mkdir(exist_ok=True)
    path.write_text(text, encoding="utf-8")
    cli.main(["-q", *options, str(path)])
    return path.read_text(encoding="utf-8")


def test_capabilities(tmp_path):
    c = Client(tmp_path)
    try:
        caps = c.initialize(tmp_path)["capabilities"]
    finally:
        c.close()
    assert set(caps["codeActionProvider"]["codeActionKinds"]) == {"quickfix",
                                                                  "source.fixAll.jaxloop"}
    assert caps["positionEncoding"] == "utf-16"


def test_diagnostics_have_code_severity_link_and_utf16_ranges(client, tmp_path):
    diags = by_code(client.open(tmp_path / "rnn.py", RNN))
    assert set(diags) == {"JXL101", "JXL201"}
    loop, append = diags["JXL101"], diags["JXL201"]
    assert loop["source"] == "jaxloop-lint" and loop["severity"] == 2  # Warning
    assert loop["codeDescription"]["href"].endswith(("/rules/JXL101/", "/rules/JXL101.md"))
    assert loop["message"].startswith("`for` over traced array `xs`")
    assert loop["range"] == {"start": {"line": 7, "character": 4},
                             "end": {"line": 7, "character": 16}}  # the `for` line only
    # `        outs.append(h + '😀é')`: 8 + 21 code points, 8 + 22 UTF-16 units.
    assert append["range"] == {"start": {"line": 9, "character": 8},
                               "end": {"line": 9, "character": 30}}
    diags = client.open(tmp_path / "halve.py", HALVE_PROGRAM)
    assert [(d["code"], d["severity"]) for d in diags] == [("JXL104", 1)]  # Error: it raises


def test_diagnostics_follow_changes(client, tmp_path):
    path = tmp_path / "rnn.py"
    assert len(client.open(path, RNN)) == 2
    assert client.change(path, "import jax\n", 2) == []
    assert len(client.change(path, RNN, 3)) == 2
    client.notify("textDocument/didSave", {"textDocument": {"uri": path.as_uri()}})
    assert len(client.diagnostics(path)) == 2
    # Code that does not parse mid-edit: no findings, no crash.
    assert client.change(path, RNN + "\ndef broken(:\n", 4) == []


def test_safe_quick_fix_applies_just_like_jaxloop_fix(client, tmp_path):
    path = tmp_path / "rnn.py"
    diags = client.open(path, RNN)
    actions = client.code_actions(path, 7, diagnostics=diags)
    titles = [a["title"] for a in actions]
    assert titles == ["Fix JXL101: rewrite as jax.lax.scan carrying h with per-step outputs outs",
                      "Ignore JXL101 on this line", "Fix all safe jaxloop-lint findings (2)"]
    assert actions[2]["kind"] == "source.fixAll.jaxloop"
    fix = actions[0]
    assert fix["kind"] == "quickfix" and fix["isPreferred"] is True
    assert fix["diagnostics"][0]["code"] == "JXL101"
    fixed = apply_action(RNN, fix, path.as_uri())
    assert "jax.lax.scan(" in fixed
    assert fixed == fixed_by_cli(tmp_path, RNN)
    assert client.change(path, fixed, 2) == []


def test_unsafe_fix_is_labelled_and_not_preferred(client, tmp_path):
    path = tmp_path / "halve.py"
    client.open(path, HALVE_PROGRAM)
    fix, ignore = client.code_actions(path, 6)
    assert fix["title"] == ("Fix JXL104: rewrite as jax.lax.while_loop carrying x "
                            "(unsafe: jax.lax.while_loop is not reverse-differentiable)")
    assert "isPreferred" not in fix
    fixed = apply_action(HALVE_PROGRAM, fix, path.as_uri())
    assert fixed == fixed_by_cli(tmp_path, HALVE_PROGRAM, "--unsafe-fixes")


def test_ignore_adds_or_merges_noqa_and_silences_the_finding(client, tmp_path):
    path = tmp_path / "halve.py"
    client.open(path, HALVE_PROGRAM)
    ignore = client.code_actions(path, 6)[1]
    assert ignore["title"] == "Ignore JXL104 on this line"
    silenced = apply_action(HALVE_PROGRAM, ignore, path.as_uri())
    assert "    while jnp.abs(x) > tol:  # noqa: JXL104\n" in silenced
    assert client.change(path, silenced, 2) == []
    other = HALVE_PROGRAM.replace("> tol:", "> tol:  # noqa: E501 (long)")
    client.change(path, other, 3)
    merged = apply_action(other, client.code_actions(path, 6)[1], path.as_uri())
    assert "    while jnp.abs(x) > tol:  # noqa: E501, JXL104 (long)\n" in merged
    assert client.change(path, merged, 4) == []


def test_fix_all_applies_safe_fixes_only(client, tmp_path):
    path = tmp_path / "both.py"
    text = RNN + "\n\n" + HALVE_PROGRAM.split("\n\n\n", 1)[1]
    client.open(path, text)
    actions = client.code_actions(path, 0, only=["source.fixAll"])
    assert [a["kind"] for a in actions] == ["source.fixAll.jaxloop"]
    fixed = apply_action(text, actions[0], path.as_uri())
    assert fixed == fixed_by_cli(tmp_path, text)
    assert "jax.lax.scan(" in fixed and "while_loop" not in fixed
    assert client.code_actions(path, 0, only=["refactor"]) == []
    assert [d["code"] for d in client.change(path, fixed, 2)] == ["JXL104"]


def test_crlf_document_gets_crlf_edits(client, tmp_path):
    path = tmp_path / "rnn.py"
    text = RNN.replace("\n", "\r\n")
    client.open(path, text)
    fixed = apply_action(text, client.code_actions(path, 7)[0], path.as_uri())
    assert fixed == fixed_by_cli(tmp_path, RNN).replace("\n", "\r\n")


def test_reads_tool_jaxloop_and_reports_bad_config(client, tmp_path):
    (tmp_path / "pyproject.toml").write_text('[tool.jaxloop]\nignore = ["JXL201"]\n')
    assert [d["code"] for d in client.open(tmp_path / "rnn.py", RNN)] == ["JXL101"]
    (tmp_path / "pyproject.toml").write_text('[tool.jaxloop]\nignore = ["JXL999"]\n')
    client.notify("textDocument/didSave", {"textDocument": {"uri": (tmp_path / "rnn.py").as_uri()}})
    message = client.notification("window/showMessage")
    assert message["type"] == 1 and "[tool.jaxloop] ignore: 'JXL999'" in message["message"]
    assert client.diagnostics(tmp_path / "rnn.py") == []
