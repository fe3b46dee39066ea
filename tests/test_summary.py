"""The closing summary: findings per code, refusals by reason, files, time, and the totals."""
from __future__ import annotations

import re

from fixers import cli
from fixers.summary import breakdown, refusal_reason
from jaxloop_lint import lint_source

from conftest import RNN_PROGRAM
from test_cli import UNFIXABLE


def run(capsys, *argv):
    rc = cli.main([str(a) for a in argv])
    return rc, *capsys.readouterr()


def test_check_summary_lists_codes_refusals_files_time_and_totals(tmp_path, capsys):
    (tmp_path / "rnn.py").write_text(RNN_PROGRAM)
    (tmp_path / "halve.py").write_text(UNFIXABLE)
    (tmp_path / "halve2.py").write_text(UNFIXABLE)
    (tmp_path / "broken.py").write_text("import jax\ndef f(:\n")
    rc, out, err = run(capsys, "--check", tmp_path)
    codes = sorted({line.split()[1] for line in out.splitlines()})
    lines = err.splitlines()
    assert lines[0].startswith(f"{tmp_path / 'broken.py'}: error: syntax error")
    start = lines.index("findings by code:")
    per_code = {}
    for line in lines[start + 1:]:
        match = re.fullmatch(r"  (JXL\d+) +(\d+)  ([a-z-]+)", line)
        if not match:
            break
        per_code[match[1]] = int(match[2])
    assert sorted(per_code) == codes and per_code["JXL104"] == 2
    assert sum(per_code.values()) == len(out.splitlines())
    refused = lines[lines.index("no automatic fix:") + 1]
    assert re.fullmatch(r" +2  the body calls `print\(\)`.*", refused)
    assert re.fullmatch(r"4 files in \d+\.\d\d s", lines[-2])
    assert lines[-1].startswith(f"{len(out.splitlines())} findings, ")
    assert lines[-1].endswith(", 1 file error")


def test_write_mode_totals_count_the_fixes(tmp_path, capsys):
    (tmp_path / "rnn.py").write_text(RNN_PROGRAM)
    rc, out, err = run(capsys, tmp_path)
    fixed = int(re.search(r", (\d+) fixed", err.splitlines()[-1])[1])
    assert fixed >= 1 and "jax.lax.scan" in (tmp_path / "rnn.py").read_text()
    assert "findings by code:" in err  # the fixed ones are findings too


def test_a_clean_run_says_only_files_and_totals(tmp_path, capsys):
    (tmp_path / "plain.py").write_text("x = 1\n")
    rc, out, err = run(capsys, "--check", tmp_path)
    assert rc == 0 and out == ""
    assert len(err.splitlines()) == 2 and err.splitlines()[-1] == "0 findings, 0 fixable"


def test_refusal_reason_is_the_messages_tail():
    [d] = lint_source(UNFIXABLE, "halve.py")
    assert refusal_reason(d) == d.message.split("; no automatic fix: ")[1] != ""
    assert breakdown([d, d])[-1].strip().startswith("2  the body calls")
    assert breakdown([]) == []
