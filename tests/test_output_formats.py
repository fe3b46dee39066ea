"""``jaxloop-fix --check --output-format text|json|sarif|github``: positions in characters, the
fixes as edits that reproduce the fixer's own output, and SARIF valid against the 2.1.0 schema."""
from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
from conftest import HALVE_PROGRAM, RNN_PROGRAM

from fixers import cli
from fixers.edits import TextEdit, apply_edit
from fixers.formats import _escape
from jaxloop_lint.catalog import BY_CODE

SCHEMA = Path(__file__).parent / "data" / "sarif-schema-2.1.0.json"

# Non-ASCII in a finding's line: columns count characters, not UTF-8 bytes or UTF-16 units.
RNN = RNN_PROGRAM.replace("outs.append(h)", "outs.append(h + '😀é')")
HALVE = HALVE_PROGRAM


def check(tmp_path, capsys, fmt, *names):
    rc = cli.main(["--check", "--output-format", fmt, *(str(tmp_path / n) for n in names)])
    out, err = capsys.readouterr()
    return rc, out, err


@pytest.fixture
def files(tmp_path):
    (tmp_path / "rnn.py").write_text(RNN, encoding="utf-8")
    (tmp_path / "halve.py").write_text(HALVE)
    return tmp_path


def fixed_by_cli(tmp_path: Path, name: str, text: str, *options: str) -> str:
    copy = tmp_path / "copy" / name
    copy.parent.mkdir(exist_ok=True)
    copy.write_text(text, encoding="utf-8")
    cli.main(["-q", *options, str(copy)])
    return copy.read_text(encoding="utf-8")


def edit_from_json(edit: dict) -> TextEdit:
    return TextEdit((edit["start"]["line"], edit["start"]["column"] - 1),
                    (edit["end"]["line"], edit["end"]["column"] - 1), edit["content"])


def test_json_carries_url_positions_and_fixes_that_apply(files, capsys):
    rc, out, err = check(files, capsys, "json", "rnn.py", "halve.py")
    assert rc == 1 and "3 findings" in err
    items = json.loads(out)
    assert [(i["path"].rsplit("/", 1)[-1], i["code"]) for i in items] == [
        ("halve.py", "JXL104"), ("rnn.py", "JXL101"), ("rnn.py", "JXL201")]
    halve, loop, append = items
    assert append["start"] == {"line": 10, "column": 9}
    assert append["end"] == {"line": 10, "column": 30}  # 8 + 21 characters, then 1-based
    assert loop["url"] == BY_CODE["JXL101"].docs_url and loop["severity"] == "warning"
    assert halve["severity"] == "error"
    assert (loop["fix"]["applicability"], halve["fix"]["applicability"]) == ("safe", "unsafe")
    # Applying the edit gives exactly what the fixer writes (unsafe: with --unsafe-fixes).
    rnn_fixed = apply_edit(RNN, edit_from_json(loop["fix"]["edits"][0]))
    assert "jax.lax.scan" in rnn_fixed
    assert rnn_fixed == fixed_by_cli(files, "rnn.py", RNN)
    halve_fixed = apply_edit(HALVE, edit_from_json(halve["fix"]["edits"][0]))
    assert halve_fixed == fixed_by_cli(files, "halve.py", HALVE, "--unsafe-fixes")
    assert "jax.lax.while_loop" in halve_fixed


def test_sarif_validates_against_the_2_1_0_schema(files, capsys):
    rc, out, _ = check(files, capsys, "sarif", "rnn.py", "halve.py")
    assert rc == 1
    log = json.loads(out)
    schema = json.loads(SCHEMA.read_text())
    jsonschema.Draft4Validator.check_schema(schema)
    jsonschema.Draft4Validator(schema).validate(log)
    run = log["runs"][0]
    results = run["results"]
    assert [r["ruleId"] for r in results] == ["JXL104", "JXL101", "JXL201"]
    rules = run["tool"]["driver"]["rules"]
    assert all(rules[r["ruleIndex"]]["id"] == r["ruleId"] for r in results)
    assert rules[0]["helpUri"] == BY_CODE["JXL101"].docs_url
    assert run["columnKind"] == "unicodeCodePoints"
    assert results[2]["locations"][0]["physicalLocation"]["region"]["endColumn"] == 30
    assert results[0]["properties"]["fixApplicability"] == "unsafe"
    change = results[1]["fixes"][0]["artifactChanges"][0]
    region = change["replacements"][0]["deletedRegion"]
    edit = TextEdit((region["startLine"], region["startColumn"] - 1),
                    (region["endLine"], region["endColumn"] - 1),
                    change["replacements"][0]["insertedContent"]["text"])
    assert apply_edit(RNN, edit) == fixed_by_cli(files, "rnn.py", RNN)


def test_invalid_sarif_is_rejected_by_the_schema():
    """The vendored schema really constrains: a result without a message fails."""
    schema = json.loads(SCHEMA.read_text())
    bad = {"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "x"}},
                                         "results": [{"ruleId": "JXL101"}]}]}
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.Draft4Validator(schema).validate(bad)


def test_github_annotations(files, capsys):
    rc, out, _ = check(files, capsys, "github", "halve.py")
    assert rc == 1
    line, = out.splitlines()
    path = str(files / "halve.py").replace(":", "%3A").replace(",", "%2C")
    assert line.startswith(f"::error file={path},line=7,col=5,endLine=8,endColumn=18,"
                           "title=JXL104 (while-traced-condition)::while condition ")
    assert line.endswith(f"({BY_CODE['JXL104'].docs_url})")
    assert _escape("a%b\nc") == "a%25b%0Ac"


def test_text_is_the_default_and_clean_files_give_empty_reports(files, capsys):
    rc, out, _ = check(files, capsys, "text", "halve.py")
    assert out.startswith(f"{files / 'halve.py'}:7:5: JXL104 ")
    (files / "clean.py").write_text("import jax\n")
    for fmt, empty in (("text", ""), ("github", ""), ("json", "[]")):
        rc, out, _ = check(files, capsys, fmt, "clean.py")
        assert (rc, out.strip()) == (0, empty)
    rc, out, _ = check(files, capsys, "sarif", "clean.py")
    assert json.loads(out)["runs"][0]["results"] == []


def test_output_format_needs_check(files, capsys):
    rc = cli.main(["--output-format", "json", str(files / "halve.py")])
    assert rc == 2 and "--output-format needs --check" in capsys.readouterr().err
    assert (files / "halve.py").read_text() == HALVE
