"""The ``jaxloop-fix`` command line: modes, exit codes, bad files, and careful writing.

Most tests call ``fixers.cli.main`` in-process. Tests of the file-writing machinery run now with
a stand-in for ``fixers.apply.fix_source`` (``fake_fixer``); the same properties are checked
against the real rewriter in the ``needs_rewriter`` tests, which skip until it lands.
"""
from __future__ import annotations

import io
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from fixers import apply as fix_apply
from fixers import cli
from fixers.apply import FileFix
from jaxloop_lint import Diagnostic, Fix
from jaxloop_lint.diagnostics import Applicability

CLEAN = '''\
import jax
import jax.numpy as jnp


@jax.jit
def f(x):
    return jnp.sin(x) * 2
'''

# JXL104 with a print in the body: no rewrite can keep its meaning, so no mode fixes it.
UNFIXABLE = '''\
import jax
import jax.numpy as jnp


@jax.jit
def halve(x, tol):
    while jnp.abs(x) > tol:
        print(x)
        x = x / 2
    return x
'''
UNFIXABLE_LINE = ":7:5: JXL104 while condition"

NOT_JAX = "def f(xs):\n    for x in xs:\n        print(x)\n"

OLD_TIME = 1_000_000_000  # seconds: any rewrite moves mtime far away from this


def run(capsys, *argv):
    rc = cli.main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return rc, out, err


def totals(err: str) -> str:
    """The summary's last line (the lines above it say files, time, and findings per code)."""
    return err.splitlines()[-1] + "\n" if err else ""


def put(path: Path, data, *, mode=None) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data.encode() if isinstance(data, str) else data)
    if mode is not None:
        path.chmod(mode)
    os.utime(path, ns=(OLD_TIME * 10**9, OLD_TIME * 10**9))
    return path


def snapshot(path: Path):
    st = path.stat()
    return path.read_bytes(), st.st_mtime_ns, stat.S_IMODE(st.st_mode)


# ------------------------------------------------------------------------------------------
# A stand-in rewriter for the I/O tests: "OLD" -> "NEW", one SAFE fix per file.


def fake_fixer(monkeypatch, *, replace=("OLD", "NEW"), remaining=(), before_return=None,
               error=None):
    calls = []

    def fix_source(source, path="<string>", *, config=None, unsafe=False, select=(), ignore=()):
        calls.append((source, path, unsafe, tuple(select), tuple(ignore)))
        if error is not None:
            raise error
        if before_return is not None:
            before_return(path)
        fixed = source.replace(*replace)
        applied = []
        if fixed != source:
            fix = Fix(Applicability.SAFE, "use jax.lax.scan")
            applied = [Diagnostic("JXL101", 1, 0, "m", path, fix=fix)]
        rest = [Diagnostic(d.code, d.line, d.col, d.message, path, fix=d.fix)
                for d in remaining]
        if unsafe:  # the unsafe ones get applied too
            applied += [d for d in rest if d.fix is not None]
            rest = [d for d in rest if d.fix is None]
        return FileFix(path, source, fixed, applied, rest)

    monkeypatch.setattr(fix_apply, "fix_source", fix_source)
    return calls


FAKE_SRC = "import jax\n# OLD\nx = 1\n"


# ------------------------------------------------------------------------------------------
# Exit codes 0 / 1


@pytest.mark.parametrize("mode", [[], ["--check"], ["--diff"], ["--unsafe-fixes"]])
def test_clean_files_exit_0_and_are_not_touched(tmp_path, capsys, mode):
    clean = put(tmp_path / "clean.py", CLEAN)
    other = put(tmp_path / "plain.py", NOT_JAX)
    before = snapshot(clean), snapshot(other)
    rc, out, err = run(capsys, *mode, tmp_path)
    assert rc == 0
    assert out == ""
    assert totals(err) == ("0 findings, 0 fixable\n" if mode in (["--check"], ["--diff"])
                   else "0 findings, 0 fixed\n")
    assert (snapshot(clean), snapshot(other)) == before


@pytest.mark.parametrize("mode", [[], ["--check"], ["--diff"], ["--unsafe-fixes"],
                                  ["--diff", "--unsafe-fixes"], ["--check", "--unsafe-fixes"]])
def test_unfixable_finding_exits_1_in_every_mode(tmp_path, capsys, mode):
    path = put(tmp_path / "halve.py", UNFIXABLE)
    before = snapshot(path)
    rc, out, err = run(capsys, *mode, path)
    assert rc == 1
    report = err if "--diff" in mode else out  # with --diff, stdout is the (empty) diff
    assert f"{path}{UNFIXABLE_LINE}" in report
    assert "1 finding, 0 " in err.splitlines()[-1]
    if "--diff" in mode:
        assert out == ""
    assert snapshot(path) == before


def test_findings_sorted_by_path_then_position(tmp_path, capsys, rnn_program):
    put(tmp_path / "b.py", UNFIXABLE)
    put(tmp_path / "a.py", rnn_program)
    rc, out, err = run(capsys, "--check", tmp_path)
    assert rc == 1
    lines = out.splitlines()
    assert [line.split(" ")[0] for line in lines] == [
        f"{tmp_path / 'a.py'}:8:5:", f"{tmp_path / 'a.py'}:10:9:", f"{tmp_path / 'b.py'}:7:5:"]
    assert [line.split(" ")[1] for line in lines] == ["JXL101", "JXL201", "JXL104"]
    assert totals(err).startswith("3 findings, ")


def test_quiet_drops_only_the_summary(tmp_path, capsys):
    path = put(tmp_path / "halve.py", UNFIXABLE)
    rc, out, err = run(capsys, "--check", "--quiet", path)
    assert rc == 1 and UNFIXABLE_LINE in out and err == ""


# ------------------------------------------------------------------------------------------
# Exit code 2: bad files are reported one line each, and the others are still processed


def _make_bad(kind: str, tmp_path: Path) -> Path:
    path = tmp_path / "bad.py"
    if kind == "syntax":
        put(path, "import jax\ndef f(:\n")
    elif kind == "utf8":
        put(path, b"import jax\nname = '\xff\xfe'\n")
    elif kind == "cookie":
        put(path, b"# -*- coding: no-such-codec -*-\nimport jax\n")
    elif kind == "missing":
        pass
    elif kind == "directory":
        path.mkdir()  # found by the walk: an explicitly named directory is walked instead
    elif kind == "unreadable":
        put(path, UNFIXABLE, mode=0)
        if os.access(path, os.R_OK):
            path.chmod(0o644)
            pytest.skip("running as a user who can read a chmod 000 file")
    return path


BAD = {
    "syntax": "syntax error at line 2",
    "utf8": "cannot decode",
    "cookie": "cannot decode",
    "missing": "no such file or directory",
    "directory": "is a directory",
    "unreadable": "permission denied",
}


@pytest.mark.parametrize("mode", [[], ["--check"], ["--diff"]])
@pytest.mark.parametrize("kind", sorted(BAD))
def test_bad_file_exits_2_and_others_are_processed(tmp_path, capsys, kind, mode):
    bad = _make_bad(kind, tmp_path)
    good = put(tmp_path / "zz_halve.py", UNFIXABLE)  # sorts after bad.py
    args = [*mode, bad, good] if kind == "missing" else [*mode, tmp_path]
    rc, out, err = run(capsys, *args)
    assert rc == 2  # 2 wins over the 1 the good file's finding asks for
    errors = [line for line in err.splitlines() if ": error: " in line]
    assert errors == [f"{bad}: error: " + errors[0].split(": error: ", 1)[1]]
    assert BAD[kind] in errors[0]
    report = err if "--diff" in mode else out
    assert f"{good}{UNFIXABLE_LINE}" in report
    assert err.splitlines()[-1].endswith("1 file error")
    if bad.exists():
        bad.chmod(0o755 if bad.is_dir() else 0o644)


def test_permission_denied_simulated(tmp_path, capsys, monkeypatch):
    """The chmod 000 case above skips for root; this one runs everywhere."""
    bad = put(tmp_path / "bad.py", UNFIXABLE)
    good = put(tmp_path / "good.py", UNFIXABLE)
    real_open = os.open

    def guarded_open(file, *args, **kwargs):
        if os.fspath(file) == str(bad):
            raise PermissionError(13, "Permission denied", str(file))
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr(os, "open", guarded_open)  # every read of a source goes through os.open
    rc, out, err = run(capsys, tmp_path)
    assert rc == 2
    assert f"{bad}: error: cannot read: permission denied" in err
    assert f"{good}{UNFIXABLE_LINE}" in out


def test_directory_named_py_found_by_the_walk_is_an_error(tmp_path, capsys):
    (tmp_path / "pkg.py").mkdir()
    put(tmp_path / "ok.py", CLEAN)
    rc, out, err = run(capsys, tmp_path)
    assert rc == 2
    assert f"{tmp_path / 'pkg.py'}: error: is a directory" in err


def test_every_bad_file_gets_its_own_line(tmp_path, capsys):
    put(tmp_path / "a.py", "import jax\ndef f(:\n")
    put(tmp_path / "b.py", b"x = '\xff'\n")
    put(tmp_path / "c.py", CLEAN)
    rc, out, err = run(capsys, tmp_path, tmp_path / "missing.py")
    assert rc == 2
    assert [line.split(": error:")[0] for line in err.splitlines() if ": error:" in line] == [
        str(tmp_path / "missing.py"), str(tmp_path / "a.py"), str(tmp_path / "b.py")]
    assert err.splitlines()[-1] == "0 findings, 0 fixed, 3 file errors"


@pytest.mark.parametrize("argv", [
    [],                                 # no PATH
    ["--check", "--diff", "x.py"],      # exclusive modes
    ["--no-such-option", "x.py"],
    ["-", "-"],                         # stdin twice
])
def test_usage_errors_exit_2(capsys, argv):
    rc, out, err = run(capsys, *argv)
    assert rc == 2 and "usage:" in err and out == ""


@pytest.mark.parametrize("option, code", [
    ("--select", "BOGUS"), ("--select", "JXL999"), ("--select", "JXL9"), ("--select", "JXL-1"),
    ("--ignore", "E501"), ("--select", "JXL101,JXL1O1"),
])
def test_unknown_codes_stop_the_run_like_a_bad_config(tmp_path, option, code):
    """A typo in CI must not select nothing and pass: the same one line and exit 2 as a bad
    ``[tool.jaxloop]``, from the same check (the catalog), before any file is read."""
    path = put(tmp_path / "halve.py", UNFIXABLE)
    before = snapshot(path)
    bad = code.split(",")[-1]
    for mode in (["--check"], ["--diff"], []):
        proc = subprocess.run([script(), *mode, f"{option}={code}", path], capture_output=True,
                              text=True, timeout=60)
        assert (proc.returncode, proc.stdout) == (2, "")
        assert proc.stderr == (f"jaxloop-fix: error: {option}: {bad!r} is not a jaxloop-lint "
                               "code or code prefix (JXL, JXL1, JXL101, ...)\n")
    assert snapshot(path) == before
    put(tmp_path / "pyproject.toml", f'[tool.jaxloop]\n{option[2:]} = ["{bad}"]\n')
    proc = subprocess.run([script(), "--check", path], capture_output=True, text=True,
                          timeout=60)
    assert proc.returncode == 2 and proc.stderr.endswith(
        f"{option[2:]}: {bad!r} is not a jaxloop-lint code or code prefix "
        "(JXL, JXL1, JXL101, ...)\n")


def test_help_and_version_exit_0(capsys):
    rc, out, _ = run(capsys, "--help")
    assert rc == 0 and "exit codes:" in out and "2 wins over 1" in out
    rc, out, _ = run(capsys, "--version")
    assert rc == 0 and out.startswith("jaxloop-fix ")


def test_fixer_crash_is_a_file_error_not_a_traceback(tmp_path, capsys, monkeypatch):
    fake_fixer(monkeypatch, error=RuntimeError("boom"))
    path = put(tmp_path / "a.py", FAKE_SRC)
    before = snapshot(path)
    rc, out, err = run(capsys, path)
    assert rc == 2
    assert f"{path}: error: internal error: RuntimeError: boom" in err
    assert snapshot(path) == before


# ------------------------------------------------------------------------------------------
# noqa, --select, --ignore, --extra-jit-decorators


@pytest.mark.parametrize("comment, reported", [
    ("  # noqa", False),
    ("  # noqa: JXL104", False),
    ("  # noqa:JXL1", False),
    ("  # noqa: JXL101", True),
])
def test_noqa(tmp_path, capsys, comment, reported):
    src = UNFIXABLE.replace("while jnp.abs(x) > tol:", "while jnp.abs(x) > tol:" + comment)
    path = put(tmp_path / "halve.py", src)
    for mode in ([], ["--check"], ["--diff"]):
        rc, out, err = run(capsys, *mode, path)
        assert rc == (1 if reported else 0)
        assert ("JXL104" in out + err) == reported


def test_noqa_finding_is_neither_reported_nor_fixed(tmp_path, capsys, rnn_program):
    src = rnn_program.replace("for x in xs:", "for x in xs:  # noqa").replace(
        "outs.append(h)", "outs.append(h)  # noqa: JXL201")
    path = put(tmp_path / "rnn.py", src)
    before = snapshot(path)
    rc, out, err = run(capsys, "--unsafe-fixes", path)
    assert (rc, out) == (0, "")
    assert snapshot(path) == before


def test_noqa_one_code_leaves_the_other_reported(tmp_path, capsys, rnn_program):
    src = rnn_program.replace("for x in xs:", "for x in xs:  # noqa: JXL101")
    path = put(tmp_path / "rnn.py", src)
    rc, out, _ = run(capsys, "--check", path)
    assert rc == 1 and "JXL201" in out and "JXL101" not in out


@pytest.mark.parametrize("options, codes", [
    (["--select", "JXL201"], ["JXL201"]),
    (["--select", "JXL2,JXL104"], ["JXL201", "JXL104"]),
    (["--ignore", "JXL2"], ["JXL101", "JXL104"]),
    (["--select", "JXL", "--ignore", "JXL101"], ["JXL201", "JXL104"]),
    (["--select", "JXL101", "--ignore", "JXL1"], ["JXL101"]),  # the longer prefix wins
    (["--select", "jxl104"], ["JXL104"]),
    (["--select", "JXL3"], []),
])
def test_select_and_ignore(tmp_path, capsys, rnn_program, options, codes):
    put(tmp_path / "a.py", rnn_program)
    put(tmp_path / "b.py", UNFIXABLE)
    rc, out, _ = run(capsys, "--check", *options, tmp_path)
    assert [line.split(" ")[1] for line in out.splitlines()] == codes
    assert rc == (1 if codes else 0)


def test_select_and_ignore_reach_the_fixer(tmp_path, capsys, monkeypatch):
    calls = fake_fixer(monkeypatch)
    put(tmp_path / "a.py", FAKE_SRC)
    run(capsys, "--select", "JXL1,JXL2", "--ignore", "JXL104", "--unsafe-fixes", tmp_path)
    assert calls[0][2:] == (True, ("JXL1", "JXL2"), ("JXL104",))


def test_selected_out_findings_are_not_fixed(tmp_path, capsys, rnn_program):
    path = put(tmp_path / "rnn.py", rnn_program)
    before = snapshot(path)
    rc, out, _ = run(capsys, "--select", "JXL104", path)
    assert (rc, out) == (0, "") and snapshot(path) == before


def test_extra_jit_decorators(tmp_path, capsys):
    src = UNFIXABLE.replace("import jax\n", "import jax\nimport mypkg\n").replace(
        "@jax.jit", "@mypkg.my_jit")
    path = put(tmp_path / "halve.py", src)
    assert run(capsys, "--check", path)[0] == 0
    rc, out, _ = run(capsys, "--check", "--extra-jit-decorators", "other.jit, mypkg.my_jit", path)
    assert rc == 1 and "JXL104" in out


# ------------------------------------------------------------------------------------------
# Directory walking


def test_walk_skips_hidden_and_environment_dirs(tmp_path, capsys):
    for d in (".hidden", ".venv", "venv", "__pycache__", "build", "dist", "node_modules",
              "lib/site-packages"):
        put(tmp_path / d / "halve.py", UNFIXABLE)
    put(tmp_path / "src" / "deep" / "halve.py", UNFIXABLE)
    put(tmp_path / "src" / "halve.txt", UNFIXABLE)
    rc, out, _ = run(capsys, "--check", tmp_path)
    assert rc == 1
    assert [line.split(":")[0] for line in out.splitlines()] == [
        str(tmp_path / "src" / "deep" / "halve.py")]
    # named explicitly, a file in a skipped directory (or without .py) is processed
    rc, out, _ = run(capsys, "--check", tmp_path / "build" / "halve.py",
                     tmp_path / "src" / "halve.txt")
    assert rc == 1 and len(out.splitlines()) == 2


def test_same_file_twice_is_processed_once(tmp_path, capsys):
    path = put(tmp_path / "halve.py", UNFIXABLE)
    rc, out, _ = run(capsys, "--check", path, tmp_path, tmp_path / "." / "halve.py")
    assert rc == 1 and len(out.splitlines()) == 1


def test_no_python_files_warns(tmp_path, capsys):
    rc, out, err = run(capsys, tmp_path)
    assert rc == 0 and "no Python files found" in err


# ------------------------------------------------------------------------------------------
# Writing: only on change, never in --check / --diff, atomically, keeping the file's form


def test_write_mode_rewrites_and_reports(tmp_path, capsys, monkeypatch):
    fake_fixer(monkeypatch)
    path = put(tmp_path / "a.py", FAKE_SRC)
    untouched = put(tmp_path / "b.py", CLEAN)
    before = snapshot(untouched)
    rc, out, err = run(capsys, "--show-fixes", tmp_path)
    assert rc == 0
    assert path.read_bytes() == FAKE_SRC.replace("OLD", "NEW").encode()
    assert path.stat().st_mtime_ns != OLD_TIME * 10**9
    assert snapshot(untouched) == before  # no change, no write
    assert out == f"{path}:1:1: JXL101 [fixed] use jax.lax.scan\n"
    assert totals(err) == "1 finding, 1 fixed\n"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []  # no temp files


@pytest.mark.parametrize("mode", [["--check"], ["--diff"]])
def test_check_and_diff_write_nothing(tmp_path, capsys, monkeypatch, mode):
    fake_fixer(monkeypatch)
    path = put(tmp_path / "a.py", FAKE_SRC)
    before = snapshot(path)
    rc, out, err = run(capsys, *mode, path)
    assert snapshot(path) == before
    if mode == ["--diff"]:
        assert rc == 1  # a fix is pending
        assert out.splitlines()[:2] == [f"--- a/{str(path).lstrip('/')}",
                                        f"+++ b/{str(path).lstrip('/')}"]
        assert "-# OLD\n+# NEW\n" in out
        assert totals(err) == "1 finding, 1 fixable\n"


def test_diff_relative_path_and_missing_final_newline(tmp_path, capsys, monkeypatch):
    fake_fixer(monkeypatch)
    put(tmp_path / "pkg" / "a.py", "import jax\nx = 'OLD'")
    monkeypatch.chdir(tmp_path)
    rc, out, _ = run(capsys, "--diff", "pkg")
    assert rc == 1
    assert out.splitlines()[:2] == ["--- a/pkg/a.py", "+++ b/pkg/a.py"]
    assert out.endswith("+x = 'NEW'\n\\ No newline at end of file\n")


def test_diff_keeps_form_feeds_and_line_separators_inside_their_lines(tmp_path, capsys,
                                                                     monkeypatch):
    fake_fixer(monkeypatch)
    put(tmp_path / "a.py", "import jax\n\x0c\ns = 'a\u2028b'  # page\x0cbreak\nx = 'OLD'\n")
    monkeypatch.chdir(tmp_path)
    rc, out, _ = run(capsys, "--diff", "a.py")
    assert rc == 1
    assert out.split("\n")[2:] == [
        "@@ -1,4 +1,4 @@", " import jax", " \x0c", " s = 'a\u2028b'  # page\x0cbreak",
        "-x = 'OLD'", "+x = 'NEW'", ""]


@pytest.mark.parametrize("name, data", [
    ("crlf", FAKE_SRC.replace("\n", "\r\n").encode()),
    ("bom", b"\xef\xbb\xbf" + FAKE_SRC.encode()),
    ("bom_crlf", b"\xef\xbb\xbf" + FAKE_SRC.replace("\n", "\r\n").encode()),
    ("latin1", "# -*- coding: latin-1 -*-\nname = 'caf\xe9'\n".encode("latin-1")
     + FAKE_SRC.encode()),
    ("latin1_crlf", "# -*- coding: latin-1 -*-\r\nname = 'caf\xe9'\r\n".encode("latin-1")
     + FAKE_SRC.replace("\n", "\r\n").encode()),
    ("utf8", "name = 'caf\xe9 \u2192'\n".encode() + FAKE_SRC.encode()),
])
def test_rewrite_keeps_encoding_bom_and_line_endings(tmp_path, capsys, monkeypatch, name, data):
    calls = fake_fixer(monkeypatch)
    path = put(tmp_path / f"{name}.py", data)
    rc, _, _ = run(capsys, path)
    assert rc == 0
    assert "\r" not in calls[0][0] and "\ufeff" not in calls[0][0]  # the fixer sees plain "\n"
    assert path.read_bytes() == data.replace(b"OLD", b"NEW")


def test_fixed_text_that_the_encoding_cannot_hold_is_not_written(tmp_path, capsys, monkeypatch):
    fake_fixer(monkeypatch, replace=("OLD", "\u2192"))
    data = b"# coding: latin-1\n" + FAKE_SRC.encode()
    path = put(tmp_path / "a.py", data)
    rc, _, err = run(capsys, path)
    assert rc == 2 and f"{path}: error: the fixed text cannot be encoded as " in err
    assert path.read_bytes() == data


@pytest.mark.parametrize("mode", [0o600, 0o640, 0o755])
def test_rewrite_keeps_permission_bits(tmp_path, capsys, monkeypatch, mode):
    fake_fixer(monkeypatch)
    path = put(tmp_path / "a.py", FAKE_SRC, mode=mode)
    assert run(capsys, path)[0] == 0
    assert "NEW" in path.read_text() and stat.S_IMODE(path.stat().st_mode) == mode


def test_rewrite_through_a_symlink_keeps_the_link(tmp_path, capsys, monkeypatch):
    fake_fixer(monkeypatch)
    real = put(tmp_path / "real.py", FAKE_SRC)
    link = tmp_path / "link.py"
    link.symlink_to(real)
    assert run(capsys, link)[0] == 0
    assert link.is_symlink() and "NEW" in real.read_text()


def test_read_only_file_is_not_written(tmp_path, capsys, monkeypatch):
    fake_fixer(monkeypatch)
    path = put(tmp_path / "a.py", FAKE_SRC, mode=0o444)
    if os.access(path, os.W_OK):
        pytest.skip("running as a user who can write a read-only file")
    rc, _, err = run(capsys, path)
    assert rc == 2 and "not writable" in err and path.read_text() == FAKE_SRC


def test_file_changed_while_fixing_is_not_written(tmp_path, capsys, monkeypatch):
    edited = "import jax\n# OLD, edited meanwhile in the editor\n"

    def edit_in_between(path):
        if path.endswith("a.py"):
            Path(path).write_text(edited)

    fake_fixer(monkeypatch, before_return=edit_in_between)
    a = put(tmp_path / "a.py", FAKE_SRC)
    b = put(tmp_path / "b.py", FAKE_SRC)
    rc, out, err = run(capsys, tmp_path)
    assert rc == 2
    assert f"{a}: error: changed while fixing; not written" in err
    assert a.read_text() == edited  # the other writer's text survives
    assert b.read_text() == FAKE_SRC.replace("OLD", "NEW")  # and the run goes on
    assert [p.name for p in tmp_path.iterdir()] and not any(
        p.name.startswith(".") for p in tmp_path.iterdir())


def test_same_size_edit_with_restored_mtime_is_still_caught(tmp_path, capsys, monkeypatch):
    def sneaky(path):
        st = os.stat(path)
        Path(path).write_bytes(Path(path).read_bytes().replace(b"x = 1", b"x = 2"))
        os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))

    fake_fixer(monkeypatch, before_return=sneaky)
    path = put(tmp_path / "a.py", FAKE_SRC)
    rc, _, err = run(capsys, path)
    assert rc == 2 and "changed while fixing" in err and "x = 2" in path.read_text()


def test_unsafe_fixes_are_counted_and_offered(tmp_path, capsys, monkeypatch):
    unsafe = Diagnostic("JXL103", 3, 0, "range over traced n", "?",
                        fix=Fix(Applicability.UNSAFE, "use jax.lax.fori_loop"))
    unfixable = Diagnostic("JXL104", 3, 0, "while", "?")
    fake_fixer(monkeypatch, remaining=[unsafe, unfixable])
    path = put(tmp_path / "a.py", FAKE_SRC)
    rc, out, err = run(capsys, path)
    assert rc == 1
    assert totals(err) == "3 findings, 1 fixed (1 more with --unsafe-fixes)\n"
    assert out.splitlines() == [f"{path}:3:1: JXL103 range over traced n",
                                f"{path}:3:1: JXL104 while"]
    put(path, FAKE_SRC)
    rc, out, err = run(capsys, "--unsafe-fixes", path)
    assert rc == 1 and totals(err) == "3 findings, 2 fixed\n"


def test_all_fixed_exits_0_in_write_mode_but_1_in_diff_mode(tmp_path, capsys, monkeypatch):
    fake_fixer(monkeypatch)
    path = put(tmp_path / "a.py", FAKE_SRC)
    assert run(capsys, "--diff", path)[0] == 1
    assert run(capsys, path)[0] == 0
    assert run(capsys, path)[0] == 0  # nothing left: the second run does not write
    assert path.read_text() == FAKE_SRC.replace("OLD", "NEW")


# ------------------------------------------------------------------------------------------
# stdin


def feed_stdin(monkeypatch, data: bytes) -> io.BytesIO:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))
    out = io.BytesIO()
    monkeypatch.setattr(sys, "stdout", io.TextIOWrapper(out, encoding="utf-8"))
    return out


def test_stdin_check(monkeypatch, capsys):
    stdout = feed_stdin(monkeypatch, UNFIXABLE.encode())
    rc = cli.main(["--check", "-"])
    sys.stdout.flush()
    assert rc == 1
    assert stdout.getvalue().decode().startswith(f"<stdin>{UNFIXABLE_LINE}")


def test_stdin_write_mode_echoes_the_text_and_reports_on_stderr(monkeypatch, capsys):
    data = "# coding: latin-1\n".encode() + UNFIXABLE.replace("\n", "\r\n").encode() + b"#\xe9\r\n"
    stdout = feed_stdin(monkeypatch, data)
    rc = cli.main(["-"])
    sys.stdout.flush()
    assert rc == 1
    assert stdout.getvalue() == data  # byte for byte
    assert f"<stdin>{UNFIXABLE_LINE.replace(':7:', ':8:')}" in capsys.readouterr().err


def test_stdin_write_mode_prints_the_fixed_text(monkeypatch, capsys):
    fake_fixer(monkeypatch)
    stdout = feed_stdin(monkeypatch, b"\xef\xbb\xbf" + FAKE_SRC.replace("\n", "\r\n").encode())
    rc = cli.main(["-", "--show-fixes"])
    sys.stdout.flush()
    assert rc == 0
    assert stdout.getvalue() == b"\xef\xbb\xbf" + FAKE_SRC.replace("OLD", "NEW").replace(
        "\n", "\r\n").encode()
    assert "<stdin>:1:1: JXL101 [fixed]" in capsys.readouterr().err


def test_stdin_syntax_error_echoes_input_and_exits_2(monkeypatch, capsys):
    stdout = feed_stdin(monkeypatch, b"import jax\ndef f(:\n")
    rc = cli.main(["-"])
    sys.stdout.flush()
    assert rc == 2
    assert stdout.getvalue() == b"import jax\ndef f(:\n"
    assert "<stdin>: error: syntax error at line 2" in capsys.readouterr().err


# ------------------------------------------------------------------------------------------
# The real rewriter (skipped until fix_source rewrites the RNN program)


def expected_fix(source: str, *options: str):
    return fix_apply.fix_source(source, "x.py", unsafe="--unsafe-fixes" in options)


@pytest.mark.needs_rewriter
@pytest.mark.parametrize("name, encode", [
    ("plain", lambda s: s.encode()),
    ("crlf", lambda s: s.replace("\n", "\r\n").encode()),
    ("bom", lambda s: b"\xef\xbb\xbf" + s.encode()),
    ("latin1", lambda s: ("# -*- coding: latin-1 -*-\n# caf\xe9\n" + s).encode("latin-1")),
])
def test_real_rewrite_keeps_form(tmp_path, capsys, rnn_program, name, encode):
    path = put(tmp_path / f"{name}.py", encode(rnn_program), mode=0o640)
    header = "# -*- coding: latin-1 -*-\n# caf\xe9\n" if name == "latin1" else ""
    result = fix_apply.fix_source(header + rnn_program, str(path))
    assert result.applied and result.changed
    rc, out, err = run(capsys, "--show-fixes", path)
    assert rc == (1 if result.remaining else 0)
    assert result.fixed.startswith(header)
    assert path.read_bytes() == encode(result.fixed[len(header):])
    assert stat.S_IMODE(path.stat().st_mode) == 0o640
    assert out.count("[fixed]") == len(result.applied)
    assert f"{len(result.applied)} fixed" in err
    # a second run finds nothing more to fix and leaves the file alone
    before = snapshot(path)
    run(capsys, path)
    assert snapshot(path) == before


@pytest.mark.needs_rewriter
def test_real_diff_and_check_write_nothing(tmp_path, capsys, rnn_program):
    path = put(tmp_path / "rnn.py", rnn_program)
    before = snapshot(path)
    rc, out, _ = run(capsys, "--diff", path)
    assert rc == 1 and out.startswith("--- a/") and "+++ b/" in out
    assert run(capsys, "--check", path)[0] == 1
    assert snapshot(path) == before


@pytest.mark.needs_rewriter
def test_real_stdin_prints_the_fixed_text(monkeypatch, capsys, rnn_program):
    expected = fix_apply.fix_source(rnn_program, "<stdin>").fixed
    stdout = feed_stdin(monkeypatch, rnn_program.encode())
    cli.main(["-"])
    sys.stdout.flush()
    assert stdout.getvalue().decode() == expected != rnn_program


@pytest.mark.needs_rewriter
def test_real_rewrite_guard_against_concurrent_edit(tmp_path, capsys, monkeypatch, rnn_program):
    real = fix_apply.fix_source
    path = put(tmp_path / "rnn.py", rnn_program)

    def edit_then_fix(source, filename, **kw):
        path.write_text(rnn_program + "# edited\n")
        return real(source, filename, **kw)

    monkeypatch.setattr(fix_apply, "fix_source", edit_then_fix)
    rc, _, err = run(capsys, path)
    assert rc == 2 and "changed while fixing; not written" in err
    assert path.read_text().endswith("# edited\n")


# ------------------------------------------------------------------------------------------
# The installed script


def script() -> str:
    path = Path(sys.executable).parent / "jaxloop-fix"
    if not path.exists():
        pytest.skip("jaxloop-fix is not installed in this environment (pip install -e .)")
    return str(path)


def test_installed_script(tmp_path):
    put(tmp_path / "clean.py", CLEAN)
    put(tmp_path / "halve.py", UNFIXABLE)
    put(tmp_path / "syntax.py", "import jax\ndef f(:\n")
    proc = subprocess.run([script(), "--check", tmp_path / "clean.py"], capture_output=True,
                          text=True, timeout=60)
    assert (proc.returncode, proc.stdout) == (0, "")
    proc = subprocess.run([script(), tmp_path], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 2
    assert proc.stdout == f"{tmp_path / 'halve.py'}{UNFIXABLE_LINE}" + \
        proc.stdout.split(UNFIXABLE_LINE, 1)[1]
    lines = proc.stderr.splitlines()
    assert lines[0] == f"{tmp_path / 'syntax.py'}: error: syntax error at line 2: invalid syntax"
    assert lines[1:3] == ["findings by code:", "  JXL104      1  while-traced-condition"]
    assert lines[-2].startswith("3 files in ") and lines[-1] == "1 finding, 0 fixed, 1 file error"
    proc = subprocess.run([script(), "--check", "-"], input=UNFIXABLE, capture_output=True,
                          text=True, timeout=60)
    assert proc.returncode == 1 and proc.stdout.startswith(f"<stdin>{UNFIXABLE_LINE}")
