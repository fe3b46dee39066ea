"""``jaxloop-lsp`` and the versions of a document, over stdio: edits name the version they were
made for, actions for a replaced version are refused, rapid changes are analysed once and only
the newest is published, a long analysis does not hold up other requests, and a code action
analyses nothing (it renders the plans of the published analysis)."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import HALVE_PROGRAM, RNN_PROGRAM
from counting_lsp import counting_server_command
from lsp_client import (EDITOR, VERSIONED_EDITS, StaleEdit, apply_action, apply_edits, frame,
                        session)

from fixers import cli

CONTENT_MODIFIED = -32801
ROOT = Path(__file__).resolve().parent.parent


def big_module(copies: int) -> str:
    """The examples, ``copies`` times (renamed so each copy's functions are its own)."""
    text = "\n\n".join(p.read_text(encoding="utf-8")
                       for p in sorted((ROOT / "examples").glob("*.py")))
    text = text.replace("from __future__ import annotations\n", "")
    return "\n\n".join(re.sub(r"\bdef (\w+)", rf"def \1_{k}", text) for k in range(copies))


@pytest.fixture
def workspace(tmp_path):
    (tmp_path / ".git").mkdir()
    return tmp_path


def change(path: Path, text: str, version: int) -> bytes:
    return frame({"jsonrpc": "2.0", "method": "textDocument/didChange", "params": {
        "textDocument": {"uri": path.as_uri(), "version": version},
        "contentChanges": [{"text": text}]}})


def code_action(id_: int, path: Path, line0: int, only=None) -> bytes:
    context: dict = {"diagnostics": []}
    if only is not None:
        context["only"] = only
    return frame({"jsonrpc": "2.0", "id": id_, "method": "textDocument/codeAction", "params": {
        "textDocument": {"uri": path.as_uri()},
        "range": {"start": {"line": line0, "character": 0}, "end": {"line": line0, "character": 0}},
        "context": context}})


def fixed_by_cli(tmp_path: Path, text: str) -> str:
    path = tmp_path / "cli_copy" / "x.py"
    path.parent.mkdir(exist_ok=True)
    path.write_text(text, encoding="utf-8")
    cli.main(["-q", str(path)])
    return path.read_text(encoding="utf-8")


def test_edits_name_the_version_they_were_made_for(workspace):
    with session(workspace, VERSIONED_EDITS) as c:
        path = workspace / "rnn.py"
        c.open(path, "\n" + RNN_PROGRAM, version=1)
        c.change(path, RNN_PROGRAM, 7)
        fix, ignore, fix_all = c.code_actions(path, 7)
        for action in (fix, ignore, fix_all):
            (change_,) = action["edit"]["documentChanges"]
            assert change_["textDocument"] == {"uri": path.as_uri(), "version": 7}
            assert "changes" not in action["edit"]
        fixed = apply_action(RNN_PROGRAM, fix, path.as_uri(), version=7)
        assert "jax.lax.scan(" in fixed
        with pytest.raises(StaleEdit):
            apply_action(RNN_PROGRAM, fix, path.as_uri(), version=8)


def test_a_fix_asked_for_before_a_pipelined_edit_is_never_applied_to_the_new_text(workspace):
    """The editor asks for the quick fix, the user types before the reply comes: the reply
    is refused by the server (ContentModified) or by the editor (its version is the old one),
    so the fix never lands on the new text (where it would not even parse)."""
    with session(workspace, VERSIONED_EDITS) as c:
        path = workspace / "rnn.py"
        c.open(path, RNN_PROGRAM)
        edited = RNN_PROGRAM.replace("    outs = []\n", "    outs = []\n    extra = 1\n"
                                     "    extra = extra + 1\n")
        c.send_raw(code_action(50, path, 7) + change(path, edited, 2))
        reply = c.reply(50)
        if "error" in reply:
            assert reply["error"]["code"] == CONTENT_MODIFIED
        else:
            fix = reply["result"][0]
            assert fix["title"].startswith("Fix JXL101")
            assert fix["edit"]["documentChanges"][0]["textDocument"]["version"] == 1
            with pytest.raises(StaleEdit):
                apply_action(edited, fix, path.as_uri(), version=2)


def test_an_action_waiting_for_a_version_that_is_replaced_gets_content_modified(workspace):
    with session(workspace, VERSIONED_EDITS) as c:
        path = workspace / "big.py"
        text = big_module(4)
        c.open(path, text)
        # v2 is being analysed when the request for it comes; v3 replaces v2 right after.
        c.send_raw(change(path, text + "\n# v2\n", 2) + code_action(60, path, 0)
                   + change(path, text + "\n# v3\n", 3))
        assert c.reply(60)["error"]["code"] == CONTENT_MODIFIED
        assert c.published(path)["version"] == 3


def test_rapid_changes_are_analysed_once_and_only_the_newest_is_published(workspace):
    with session(workspace, VERSIONED_EDITS, counting_server_command()) as c:
        path = workspace / "big.py"
        text = big_module(4)
        c.open(path, text)
        before = c.request("workspace/executeCommand", {"command": "test.analyses"})
        # 20 keystrokes in one write, as an editor replaying an undo sends them. Every other
        # version adds a finding, so a publish of a wrong version would show it.
        extra = "\n@jax.jit\ndef extra(xs):\n    for x in xs:\n        xs = xs + x\n    return xs\n"
        versions = {v: text + (extra if v % 2 else "") + f"# {v}\n" for v in range(2, 22)}
        c.send_raw(b"".join(change(path, t, v) for v, t in versions.items()))
        published = []
        while not published or published[-1]["version"] != 21:
            published.append(c.published(path))
        analyses = c.request("workspace/executeCommand", {"command": "test.analyses"}) - before
        assert [p["version"] for p in published] == [21]
        # The newest, and one started before the rest of the burst was read (it stops at its
        # next finding); a few more only if the machine stalls the server mid-burst.
        assert analyses <= 5
        loops = [d for d in published[-1]["diagnostics"] if d["code"] == "JXL101"]
        assert any(d["range"]["start"]["line"] > text.count("\n") for d in loops)  # v21's own


def test_a_request_is_answered_while_a_big_document_is_analysed(workspace):
    with session(workspace, VERSIONED_EDITS) as c:
        big, small = workspace / "big.py", workspace / "rnn.py"
        text = big_module(25)
        c.open(big, text)
        c.open(small, RNN_PROGRAM)
        c.send_raw(change(big, text + "# edited\n", 2)
                   + code_action(70, small, 7, ["quickfix"]))
        first = c.wait(lambda m: m.get("id") == 70 or (
            m.get("method") == "textDocument/publishDiagnostics"
            and m["params"]["uri"] == big.as_uri()))
        assert first.get("id") == 70, "the reply waited for the big document's analysis"
        assert first["result"][0]["title"].startswith("Fix JXL101")
        assert c.published(big)["version"] == 2


def test_a_fix_all_does_not_hold_up_quick_fixes(workspace):
    """A fix-all analyses the file again each round: on a big file it takes a while, on a
    thread of its own."""
    with session(workspace, VERSIONED_EDITS) as c:
        big, small = workspace / "big.py", workspace / "rnn.py"
        text = big_module(6)
        c.open(big, text)
        c.open(small, RNN_PROGRAM)
        c.send_raw(code_action(80, big, 0, ["source.fixAll"])
                   + code_action(81, small, 7, ["quickfix"]))
        first = c.wait(lambda m: m.get("id") in (80, 81))
        assert first["id"] == 81, "the quick fix waited for the fix-all"
        assert first["result"][0]["title"].startswith("Fix JXL101")
        (fix_all,) = c.reply(80)["result"]
        assert fix_all["kind"] == "source.fixAll.jaxloop"


def test_a_quick_fix_analyses_nothing(workspace):
    """Before: a quick fix cost two analyses (the file, then the file fixed), and the light
    bulb's fix-all several more, on top of the one that published the diagnostics."""
    with session(workspace, EDITOR, counting_server_command()) as c:
        path = workspace / "both.py"
        text = RNN_PROGRAM + "\n\n" + HALVE_PROGRAM.split("\n\n\n", 1)[1]
        c.open(path, text)
        assert c.request("workspace/executeCommand", {"command": "test.analyses"}) == 1
        quick = c.code_actions(path, 7, only=["quickfix"])
        bulb = c.code_actions(path, 7)
        halve = c.code_actions(path, text.count("\n") - 3)
        assert c.request("workspace/executeCommand", {"command": "test.analyses"}) == 1
        assert [a["title"][:14] for a in quick] == ["Fix JXL101: re", "Ignore JXL101 "]
        assert [a["title"][:14] for a in bulb] == ["Fix JXL101: re", "Ignore JXL101 ",
                                                   "Fix all safe j"]
        assert halve[0]["title"].startswith("Fix JXL104") and "(unsafe" in halve[0]["title"]
        assert apply_action(text, quick[0], path.as_uri(), 1) == \
            apply_action(text, bulb[0], path.as_uri(), 1)


def test_a_light_bulb_fix_all_is_resolved_when_chosen(workspace):
    with session(workspace, EDITOR) as c:
        path = workspace / "both.py"
        text = RNN_PROGRAM + "\n\n" + HALVE_PROGRAM.split("\n\n\n", 1)[1]
        c.open(path, text)
        fix_all = c.code_actions(path, 0)[-1]
        assert fix_all["kind"] == "source.fixAll.jaxloop" and "edit" not in fix_all
        resolved = c.request("codeAction/resolve", fix_all)
        assert apply_action(text, resolved, path.as_uri(), 1) == fixed_by_cli(workspace, text)
        # Asked for by kind (on save), it comes with its edit.
        (on_save,) = c.code_actions(path, 0, only=["source.fixAll"])
        assert on_save["edit"] == resolved["edit"]
        c.change(path, text + "\n", 2)
        reply = c.reply(c.send_request("codeAction/resolve", fix_all))
        assert reply["error"]["code"] == CONTENT_MODIFIED


def test_without_resolve_the_light_bulb_fix_all_is_a_command(workspace):
    caps = {"workspace": {"workspaceEdit": {"documentChanges": True}, "applyEdit": True}}
    with session(workspace, caps) as c:
        path = workspace / "rnn.py"
        c.open(path, RNN_PROGRAM)
        fix_all = c.code_actions(path, 0)[-1]
        assert "edit" not in fix_all and fix_all["command"]["command"] == "jaxloop.fixAll"
        id_ = c.send_request("workspace/executeCommand", {
            "command": fix_all["command"]["command"],
            "arguments": fix_all["command"]["arguments"]})
        apply = c.wait(lambda m: m.get("method") == "workspace/applyEdit")["params"]["edit"]
        assert "error" not in c.reply(id_)
        (change_,) = apply["documentChanges"]
        assert change_["textDocument"]["version"] == 1
        assert apply_edits(RNN_PROGRAM, change_["edits"]) == fixed_by_cli(workspace, RNN_PROGRAM)
