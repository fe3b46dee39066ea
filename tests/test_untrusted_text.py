"""Text from the tree under review (issue 13, item 6 and the smaller ones): file names are printed
escaped, a source the interpreter rejects gets its message and exit 2, a bad pyproject.toml is
one line, and the cheap "mentions jax" gate knows the project's own jit decorators."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from jaxloop_lint import Config, SourceError, lint_source

from untrusted import FOUR_FINDINGS, assert_clean_exit, env_for, error_lines, jaxloop_fix

HOSTILE_NAMES = ["a\n::error file=x.py,line=1::forged.py", "b\x1b[2J\x1b[31mred.py",
                 "::warning file=y.py,line=2::top.py", "c\r\u2028d.py"]


@pytest.fixture
def hostile(tmp_path) -> Path:
    root = tmp_path / "pr"
    root.mkdir()
    for name in HOSTILE_NAMES:
        (root / name).write_text(FOUR_FINDINGS)
    os.mkfifo(root / "e\n::error::fifo.py")
    return root


def _lines(proc) -> list[str]:
    return proc.stdout.splitlines() + proc.stderr.splitlines()


def test_file_names_cannot_forge_lines_in_text_output(hostile, tmp_path):
    proc = jaxloop_fix("--check", "--show-fixes", ".", cwd=hostile, home=tmp_path / "home",
                       timeout=60)
    assert_clean_exit(proc)
    assert proc.returncode == 2
    assert not [line for line in _lines(proc) if line.startswith("::")]
    assert "\x1b" not in proc.stdout + proc.stderr and "\r" not in proc.stdout + proc.stderr
    findings = [line for line in proc.stdout.splitlines() if not line.startswith("    ")]
    assert len(findings) == 4 * len(HOSTILE_NAMES)  # the indented lines are --show-fixes details
    assert "a\\n::error file=x.py,line=1::forged.py:8:5: JXL101" in proc.stdout
    assert "b\\x1b[2J\\x1b[31mred.py:8:5: JXL101" in proc.stdout
    assert "./::warning file=y.py,line=2::top.py:8:5: JXL101" in proc.stdout
    assert "c\\r\\u2028d.py:8:5: JXL101" in proc.stdout
    assert error_lines(proc.stderr) == ["e\\n::error::fifo.py: error: not a regular file (a FIFO)"]


def test_file_names_cannot_forge_workflow_commands(hostile, tmp_path):
    proc = jaxloop_fix("--check", "--output-format", "github", ".", cwd=hostile,
                       home=tmp_path / "home", timeout=60)
    out = proc.stdout.splitlines()
    assert len(out) == 4 * len(HOSTILE_NAMES)
    assert all(line.startswith(("::warning file=", "::error file=")) for line in out)
    assert "\x1b" not in proc.stdout
    commands = [line for line in _lines(proc) if line.startswith("::")]
    assert commands == out  # the error line on stderr forges none either


def test_file_names_in_diff_headers_are_quoted(hostile, tmp_path):
    proc = jaxloop_fix("--diff", ".", cwd=hostile, home=tmp_path / "home", timeout=60)
    assert not [line for line in _lines(proc) if line.startswith("::")]
    assert '--- "a/a\\n::error file=x.py,line=1::forged.py"' in proc.stdout
    assert "--- a/::warning file=y.py,line=2::top.py" in proc.stdout  # printable: as git does


# ------------------------------------------------------------------------------------------
# Sources the interpreter rejects


def test_a_utf16_cookie_is_the_interpreters_error():
    data = b"# coding: utf-16\n" + FOUR_FINDINGS.encode()
    with pytest.raises(SourceError, match="^syntax error: encoding problem: utf-16$"):
        lint_source(data)


def test_the_cli_refuses_what_the_interpreter_refuses(tmp_path):
    (tmp_path / "u16.py").write_bytes(b"# coding: utf-16\n" + FOUR_FINDINGS.encode())
    (tmp_path / "nul.py").write_bytes(b"import jax\nx = 1\n\x00\n")
    (tmp_path / "ok.py").write_text(FOUR_FINDINGS)
    for name in ("u16.py", "nul.py"):  # what the interpreter says, for the record
        ran = subprocess.run([sys.executable, name], cwd=tmp_path, capture_output=True,
                             text=True)
        assert ran.returncode == 1 and "SyntaxError" in ran.stderr
    proc = jaxloop_fix("--check", ".", cwd=tmp_path, home=tmp_path / "home")
    assert_clean_exit(proc)
    assert proc.returncode == 2 and proc.stdout.count("ok.py:") == 4
    assert sorted(error_lines(proc.stderr)) == [
        "nul.py: error: syntax error at line 3: source code cannot contain null bytes",
        "u16.py: error: syntax error: encoding problem: utf-16"]


def test_other_cookies_still_decode_as_the_interpreter_does():
    assert [d.code for d in lint_source(b"# coding: latin-1\n" + FOUR_FINDINGS.encode())] == [
        "JXL101", "JXL201", "JXL104", "JXL103"]
    assert lint_source(b"# coding: cp037\nimport jax\n") == []  # one comment line, as run


def test_null_bytes_in_text_name_their_line():
    with pytest.raises(SourceError, match="^syntax error at line 2: source code cannot"):
        lint_source("import jax\nx = 1\x00\n")


# ------------------------------------------------------------------------------------------
# pyproject.toml that cannot be read


BAD_PYPROJECTS = {
    "not UTF-8": (b'[tool.jaxloop]\nselect = ["JXL\xff"]\n',
                  ": not UTF-8 (invalid start byte at byte 29)"),
    "nested too deeply": (b"[tool.jaxloop]\nx = " + b"[" * 100000 + b"]" * 100000 + b"\n",
                          ": invalid TOML: nested too deeply"),
}


@pytest.fixture(params=sorted(BAD_PYPROJECTS))
def bad_project(request, tmp_path) -> tuple[Path, str]:
    data, reason = BAD_PYPROJECTS[request.param]
    (tmp_path / ".git").mkdir()
    (tmp_path / "pyproject.toml").write_bytes(data)
    (tmp_path / "model.py").write_text(FOUR_FINDINGS)
    return tmp_path, f"{tmp_path / 'pyproject.toml'}{reason}"


def test_a_bad_pyproject_is_one_line_in_the_cli(bad_project):
    root, message = bad_project
    proc = jaxloop_fix("--check", "model.py", cwd=root, home=root / "home")
    assert_clean_exit(proc)
    assert (proc.returncode, proc.stdout, proc.stderr) == (2, "",
                                                           f"jaxloop-fix: error: {message}\n")


def test_a_bad_pyproject_is_one_message_in_flake8(bad_project):
    root, message = bad_project
    proc = subprocess.run([sys.executable, "-m", "flake8", "--select=JXL", "model.py"], cwd=root,
                          env=env_for(root / "home"), capture_output=True, text=True, timeout=120)
    assert "Traceback" not in proc.stdout + proc.stderr and proc.returncode != 0
    assert message in proc.stdout + proc.stderr


# ------------------------------------------------------------------------------------------
# The "mentions jax" gate and extra-jit-decorators


OWN_JIT = '''\
from mypkg.compile import my_jit


@my_jit
def total(xs):
    out = 0.0
    for x in xs:
        out = out + x
    return out
'''


def test_the_gate_lets_a_file_with_only_an_own_decorator_through():
    assert lint_source(OWN_JIT) == []  # not configured: nothing says it is traced
    config = Config(extra_jit_decorators=("mypkg.compile.my_jit",))
    assert [d.code for d in lint_source(OWN_JIT, config=config)] == ["JXL101"]


@pytest.mark.parametrize("where", ["command line", "pyproject.toml"])
def test_the_cli_honours_extra_decorators_in_files_without_jax(tmp_path, where):
    (tmp_path / "total.py").write_text(OWN_JIT)
    args = ["--check", "total.py"]
    if where == "command line":
        args.insert(1, "--extra-jit-decorators=mypkg.compile.my_jit")
    else:
        (tmp_path / ".git").mkdir()
        (tmp_path / "pyproject.toml").write_text(
            '[tool.jaxloop]\nextra-jit-decorators = ["mypkg.compile.my_jit"]\n')
    proc = jaxloop_fix(*args, cwd=tmp_path, home=tmp_path / "home")
    assert proc.returncode == 1 and "total.py:7:5: JXL101" in proc.stdout


@pytest.mark.parametrize("where", ["flake8 option", "pyproject.toml"])
def test_flake8_honours_extra_decorators_in_files_without_jax(tmp_path, where):
    (tmp_path / "total.py").write_text(OWN_JIT)
    args = [sys.executable, "-m", "flake8", "--select=JXL", "total.py"]
    if where == "flake8 option":
        args.insert(3, "--jaxloop-extra-jit-decorators=mypkg.compile.my_jit")
    else:
        (tmp_path / ".git").mkdir()
        (tmp_path / "pyproject.toml").write_text(
            '[tool.jaxloop]\nextra-jit-decorators = ["mypkg.compile.my_jit"]\n')
    proc = subprocess.run(args, cwd=tmp_path, env=env_for(tmp_path / "home"),
                          capture_output=True, text=True, timeout=120)
    assert "total.py:7:5: JXL101" in proc.stdout, proc.stderr


def test_the_gate_still_skips_files_that_name_nothing(tmp_path):
    (tmp_path / "plain.py").write_text("def f(:\n")  # not parsed: nothing names jax
    proc = jaxloop_fix("--check", "--extra-jit-decorators=mypkg.my_jit", "plain.py",
                       cwd=tmp_path, home=tmp_path / "home")
    assert proc.returncode == 0
