"""Hostile input through every front end: the core (lint_source, fix_source), the flake8 plugin
and the ``jaxloop-fix`` command. Each bad file gets one line (or is skipped with a reason), the
run goes on with the other files, and the exit code says so. Complements test_bad_input.py (the
core's SourceError cases) and test_cli.py (the CLI's basic file errors)."""
from __future__ import annotations

import ast
import os
import subprocess
import sys
from pathlib import Path

import pytest

from fixers.apply import fix_source
from jaxloop_lint import SourceError, lint_source

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from conftest import RNN_PROGRAM  # noqa: E402

BIN = Path(sys.executable).parent


def jaxloop_fix(*args, timeout=300) -> subprocess.CompletedProcess:
    return subprocess.run([str(BIN / "jaxloop-fix"), *map(str, args)], capture_output=True,
                          text=True, timeout=timeout)


def flake8(*args) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "flake8", "--select=JXL,E999,E902",
                           *map(str, args)], capture_output=True, text=True, timeout=300)


def error_lines(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if ": error: " in line]


def assert_no_traceback(proc: subprocess.CompletedProcess) -> None:
    for text in (proc.stdout, proc.stderr):
        assert "Traceback" not in text and "internal error" not in text, text[-3000:]


# --------------------------------------------------------------------------------------------
# Deeply nested expressions: RecursionError never escapes, whatever the front end

def _deep(kind: str, n: int) -> str:
    expr = {
        "binop": " + ".join(["h"] * n),
        "power": " ** ".join(["h"] * n),
        "unary": "-" * n + "h",
        "not": "not " * n + "h",
        "ifexp": " if h else ".join(["h"] * n),
        "attr": "h" + ".T" * n,
        "subscript": "h" + "[0]" * n,
        "lambda": "lambda: " * n + "h",
        "parens": "(" * n + "h" + ")" * n,
        "calls": "jnp.tanh(" * n + "h" + ")" * n,
        "boolop": " and ".join(["h"] * n),
        "strings": " ".join(['"a"'] * n),
    }[kind]
    # after a fixable loop, so the fixer really renders the file
    return RNN_PROGRAM.replace("    return h,", f"    y = {expr}\n    return h,")


DEEP_KINDS = ["binop", "power", "unary", "not", "ifexp", "attr", "subscript", "lambda", "parens",
              "calls", "boolop", "strings"]
# libcst nests `a and b and ...`, implicit string concatenation and lambda chains, and its
# validation recurses: fix_source turns the RecursionError into a one-line SourceError.
def _deep_params():
    return [pytest.param(kind, n, id=f"{kind}-{n}") for n in (400, 3000) for kind in DEEP_KINDS]


@pytest.mark.parametrize("kind, n", _deep_params())
def test_deep_nesting_core(kind, n):
    source = _deep(kind, n)
    try:
        lint_source(source)
    except SourceError as exc:
        assert "nested" in str(exc) and "\n" not in str(exc)
    for unsafe in (False, True):
        try:
            result = fix_source(source, "deep.py", unsafe=unsafe)
        except SourceError as exc:
            assert "internal error" not in str(exc)
        else:
            assert result.fixed == source or "jax.lax.scan" in result.fixed


@pytest.mark.parametrize("n", [400, 3000])
def test_deep_nesting_flake8_plugin(n):
    """The plugin as flake8 calls it, on every tree flake8 itself manages to build (flake8
    reports the others, and pyflakes already fails at 400-deep sums: not ours to test)."""
    from jaxloop_lint.flake8_plugin import JaxLoopChecker

    reported = 0
    for kind in DEEP_KINDS:
        source = _deep(kind, n)
        try:
            tree = ast.parse(source)
        except (SyntaxError, RecursionError, MemoryError):
            continue
        found = list(JaxLoopChecker(tree, source.splitlines(True), "deep.py").run())
        reported += bool(found)
    assert n == 3000 or reported  # the shallower trees do get findings


def test_deep_nesting_cli(tmp_path):
    for kind in DEEP_KINDS:
        for n in (400, 3000):
            (tmp_path / f"{kind}_{n}.py").write_text(_deep(kind, n))
    proc = jaxloop_fix("--unsafe-fixes", tmp_path)
    assert_no_traceback(proc)
    errors = error_lines(proc.stderr)
    assert all("nested" in e or "syntax error" in e for e in errors), errors
    assert proc.returncode == (2 if errors else 0)
    fixed = [p.name for p in tmp_path.iterdir() if "jax.lax.scan" in p.read_text()]
    assert len(fixed) + len(errors) == len(list(tmp_path.iterdir())), (fixed, errors)


# --------------------------------------------------------------------------------------------
# Python 2 code

PY2 = {
    "print_statement.py": 'import jax\nprint "hello"\n',
    "except_comma.py": "import jax\ntry:\n    pass\nexcept ValueError, e:\n    pass\n",
    "backticks.py": "import jax\nx = `1`\n",
    "octal.py": "import jax\nmode = 0777\n",
    "exec_statement.py": 'import jax\nexec "x = 1"\n',
    "ur_string.py": 'import jax\ns = ur"abc"\n',
    "long_int.py": "import jax\nn = 10L\n",
}


def test_python2_core():
    for name, source in PY2.items():
        with pytest.raises(SourceError) as err:
            lint_source(source, name)
        assert str(err.value).startswith("syntax error at line ") and "\n" not in str(err.value)
        with pytest.raises(SourceError):
            fix_source(source, name, unsafe=True)


def test_python2_cli_and_flake8(tmp_path):
    for name, source in PY2.items():
        (tmp_path / name).write_text(source)
    (tmp_path / "zz_rnn.py").write_text(RNN_PROGRAM)
    proc = jaxloop_fix(tmp_path)
    assert_no_traceback(proc)
    assert proc.returncode == 2
    errors = error_lines(proc.stderr)
    assert sorted(Path(e.split(": error: ")[0]).name for e in errors) == sorted(PY2)
    assert all(": error: syntax error at line " in e for e in errors)
    assert "jax.lax.scan" in (tmp_path / "zz_rnn.py").read_text()  # the run went on
    for name, source in PY2.items():
        assert (tmp_path / name).read_text() == source
    proc = flake8(tmp_path)
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    assert sorted(line.split(":")[0] for line in proc.stdout.splitlines() if "E999" in line) == \
        sorted(str(tmp_path / n) for n in PY2)


# --------------------------------------------------------------------------------------------
# Encodings: several in one run, each file written back in its own

LOOP_WITH_COMMENT = RNN_PROGRAM.replace("        h = jnp.tanh(",
                                        "        # NOTE\n        h = jnp.tanh(")


def _encoded(encoding: str, note: str, header: str) -> bytes:
    return (header + LOOP_WITH_COMMENT.replace("NOTE", note)).encode(encoding)


ENCODED = {  # name: (encoding, comment text, header)
    "latin1.py": ("latin-1", "caf\xe9 cr\xe8me", "#!/usr/bin/env python\n# -*- coding: latin-1 -*-\n"),
    "shift_jis.py": ("shift_jis", "日本語のコメント", "# coding: shift_jis\n"),
    "cp1252.py": ("cp1252", "\u20ac price", "# vim: set fileencoding=cp1252 :\n"),
    "utf8.py": ("utf-8", "ünïcödé ✓", ""),
}


def test_mixed_encodings_in_one_run(tmp_path):
    for name, (enc, note, header) in ENCODED.items():
        (tmp_path / name).write_bytes(_encoded(enc, note, header))
    # undecodable: a UTF-8 cookie on Latin-1 bytes, a BOM that contradicts a cookie, UTF-16
    (tmp_path / "lying_cookie.py").write_bytes(_encoded("latin-1", "caf\xe9", "# coding: utf-8\n"))
    (tmp_path / "bom_and_cookie.py").write_bytes(
        b"\xef\xbb\xbf" + _encoded("latin-1", "x", "# coding: latin-1\n"))
    (tmp_path / "utf16.py").write_bytes(LOOP_WITH_COMMENT.encode("utf-16"))
    proc = jaxloop_fix(tmp_path)
    assert_no_traceback(proc)
    assert proc.returncode == 2
    errors = error_lines(proc.stderr)
    assert sorted(Path(e.split(": error: ")[0]).name for e in errors) == [
        "bom_and_cookie.py", "lying_cookie.py", "utf16.py"]
    assert all("cannot decode" in e for e in errors), errors
    for name, (enc, note, header) in ENCODED.items():
        data = (tmp_path / name).read_bytes()
        text = data.decode(enc)
        assert "jax.lax.scan" in text and text.startswith(header), name
        assert f"# {note}" in text, name


# --------------------------------------------------------------------------------------------
# Line endings

def _endings(data: bytes) -> list[bytes]:
    return [line[len(line.rstrip(b"\r\n")):] for line in data.splitlines(True)]


def test_lf_file_with_some_crlf_lines_keeps_them(tmp_path):
    lines = RNN_PROGRAM.splitlines(True)
    crlf_at = {2, len(lines) - 1}            # a blank line above, the return line below
    data = "".join(l.replace("\n", "\r\n") if i in crlf_at else l
                   for i, l in enumerate(lines)).encode() + b"TAIL = 1\r\n"
    path = tmp_path / "mixed.py"
    path.write_bytes(data)
    proc = jaxloop_fix(path)
    assert proc.returncode == 0, proc.stderr
    out = path.read_bytes()
    assert b"jax.lax.scan" in out
    assert out.startswith(b"import jax\nimport jax.numpy as jnp\n\r\n")
    assert out.endswith(b"TAIL = 1\r\n")


def test_crlf_file_with_some_lf_lines_keeps_them(tmp_path):
    lines = RNN_PROGRAM.splitlines(True)
    data = "".join(l if i == 2 else l.replace("\n", "\r\n") for i, l in enumerate(lines)).encode()
    path = tmp_path / "mixed.py"
    path.write_bytes(data)
    assert jaxloop_fix(path).returncode == 0
    out = path.read_bytes()
    assert b"jax.lax.scan" in out and out.startswith(b"import jax\r\nimport jax.numpy as jnp\r\n\n")
    # The same rewrite as the LF file's; the one LF line, left alone, is the only one.
    assert out.decode().replace("\r\n", "\n") == fix_source(RNN_PROGRAM, "lf.py").fixed
    assert out.count(b"\n") - out.count(b"\r\n") == 1


def test_unfixed_file_with_any_endings_is_byte_identical(tmp_path):
    clean = RNN_PROGRAM.replace("for x in xs:", "for x in xs:  # noqa").replace(
        "outs.append(h)", "outs.append(h)  # noqa")
    for name, data in {"cr_only.py": clean.replace("\n", "\r").encode(),
                       "mixed.py": clean.replace("\n", "\r\n", 3).encode(),
                       "no_final_newline.py": clean.rstrip("\n").encode()}.items():
        path = tmp_path / name
        path.write_bytes(data)
        os.utime(path, ns=(10**18, 10**18))
        proc = jaxloop_fix("--unsafe-fixes", path)
        assert_no_traceback(proc)
        assert path.read_bytes() == data and path.stat().st_mtime_ns == 10**18, name


# --------------------------------------------------------------------------------------------
# Size: very long lines, 5 MB files

def test_very_long_lines_are_kept(tmp_path):
    table = "TABLE = [" + ", ".join(["0.5"] * 200_000) + "]\n"           # one 1 MB line
    comment = "  # " + "x" * 100_000                                      # a long comment
    source = RNN_PROGRAM.replace("h = jnp.tanh(w @ h + x)", "h = jnp.tanh(w @ h + x)" + comment) + table
    result = fix_source(source, "long.py")
    assert "jax.lax.scan" in result.fixed
    assert result.fixed.endswith(table) and comment in result.fixed


@pytest.fixture(scope="module")
def five_mb(tmp_path_factory) -> Path:
    """5 MB of jitted functions, each with a loop and a 10 kB table; and 5 MB without jax.
    (Few top-level names: the core's module-name scan is quadratic in their number, see the
    report of issue 7, and that is a speed matter for benchmarks, not for this test.)"""
    root = tmp_path_factory.mktemp("big")
    table = "    table = [" + ", ".join(["0.125"] * 1400) + "]\n"
    parts, size, i = ["import jax\nimport jax.numpy as jnp\n"], 0, 0
    while size < 5_000_000:
        part = (f"\n\n@jax.jit\ndef f{i}(xs, w):\n{table}    outs = []\n    for x in xs:\n"
                f"        outs.append(jnp.tanh(w @ x))\n    return jnp.stack(outs)\n")
        parts.append(part)
        size, i = size + len(part), i + 1
    (root / "big.py").write_text("".join(parts))
    (root / "big_not_jax.py").write_text("x = 1\n" * 850_000)
    return root


def test_five_megabyte_files_are_checked(five_mb):
    n_loops = (five_mb / "big.py").read_text().count("for x in xs")
    proc = jaxloop_fix("--check", five_mb, timeout=600)
    assert_no_traceback(proc)
    assert proc.returncode == 1
    assert proc.stdout.count("JXL101") == n_loops and proc.stdout.count("JXL201") == n_loops
    assert "big_not_jax.py" not in proc.stdout + proc.stderr


# --------------------------------------------------------------------------------------------
# Symlinks

def test_symlinks(tmp_path):
    real = tmp_path / "real"
    real.mkdir()
    target = real / "rnn.py"
    target.write_text(RNN_PROGRAM)
    src = tmp_path / "src"
    src.mkdir()
    (src / "link.py").symlink_to(target)
    (src / "dangling.py").symlink_to(tmp_path / "nowhere.py")
    (src / "loop_a.py").symlink_to(src / "loop_b.py")
    (src / "loop_b.py").symlink_to(src / "loop_a.py")
    (src / "sub").mkdir()
    (src / "sub" / "up").symlink_to(src, target_is_directory=True)   # a directory cycle
    (src / "zz_clean.py").write_text("import jax\n")
    proc = jaxloop_fix(src, src / "dangling.py")
    assert_no_traceback(proc)
    assert proc.returncode == 2
    errors = sorted(error_lines(proc.stderr))
    outside = (f"{src / 'link.py'}: error: symlink to {target}, outside {src}; not followed "
               "(--follow-external-symlinks follows it)")
    assert errors == sorted([
        f"{src / 'dangling.py'}: error: no such file or directory",
        outside,
        f"{src / 'loop_a.py'}: error: cannot read: too many levels of symbolic links",
        f"{src / 'loop_b.py'}: error: cannot read: too many levels of symbolic links"]), errors
    assert target.read_text() == RNN_PROGRAM  # a link out of the tree is not followed
    proc = jaxloop_fix("--follow-external-symlinks", src, src / "dangling.py")
    assert_no_traceback(proc)
    assert outside not in proc.stderr
    # the link's target was fixed, the link itself kept
    assert (src / "link.py").is_symlink() and "jax.lax.scan" in target.read_text()
    assert proc.stderr.splitlines()[-1].endswith("3 file errors")


# --------------------------------------------------------------------------------------------
# Files that cannot be written

def _lock(path: Path, mode: int) -> None:
    """Make ``path`` unwritable. Root ignores permission bits, so for root the file or
    directory is also made immutable (chattr +i), which binds root too."""
    path.chmod(mode)
    if os.geteuid() == 0:
        proc = subprocess.run(["chattr", "+i", str(path)], capture_output=True, text=True)
        if proc.returncode:
            pytest.skip(f"running as root and chattr +i is not available: {proc.stderr.strip()}")


def _unlock(path: Path) -> None:
    if os.geteuid() == 0:
        subprocess.run(["chattr", "-i", str(path)], capture_output=True)
    path.chmod(0o755)


def test_read_only_file_and_directory(tmp_path):
    ro_file = tmp_path / "a_readonly.py"
    ro_file.write_text(RNN_PROGRAM)
    locked = tmp_path / "locked"
    locked.mkdir()
    in_locked = locked / "rnn.py"
    in_locked.write_text(RNN_PROGRAM)      # a writable file, but no new file in its directory
    ok = tmp_path / "z_ok.py"
    ok.write_text(RNN_PROGRAM)
    _lock(ro_file, 0o444)
    _lock(locked, 0o555)
    try:
        proc = jaxloop_fix(tmp_path)
    finally:
        _unlock(locked)
        _unlock(ro_file)
    assert_no_traceback(proc)
    assert proc.returncode == 2
    errors = sorted(error_lines(proc.stderr))
    assert errors[0] == f"{ro_file}: error: file is not writable; not written"
    # EACCES for a 0o555 directory, EPERM for an immutable one
    assert errors[1] in (f"{in_locked}: error: cannot write: permission denied",
                         f"{in_locked}: error: cannot write: operation not permitted")
    assert len(errors) == 2
    assert ro_file.read_text() == RNN_PROGRAM and in_locked.read_text() == RNN_PROGRAM
    assert "jax.lax.scan" in ok.read_text()
    assert [p.name for p in locked.iterdir()] == ["rnn.py"]    # no temp file left behind


# --------------------------------------------------------------------------------------------
# A file that changes while it is being fixed (real rewriter; the edit happens between read
# and write)

@pytest.mark.parametrize("edit", [
    "same_size_and_mtime",
    "deleted",
    "replaced_by_directory"])
def test_file_changed_while_fixing(tmp_path, monkeypatch, capsys, edit):
    from fixers import apply as fix_apply
    from fixers import cli

    path = tmp_path / "rnn.py"
    path.write_text(RNN_PROGRAM)
    other = tmp_path / "z_other.py"
    other.write_text(RNN_PROGRAM)
    real = fix_apply.fix_source

    def edit_then_fix(source, filename, **kw):
        if filename == str(path):
            st = path.stat()
            if edit == "same_size_and_mtime":
                path.write_text(RNN_PROGRAM.replace("outs", "OUTS"))
                os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))
            elif edit == "deleted":
                path.unlink()
            else:
                path.unlink()
                path.mkdir()
        return real(source, filename, **kw)

    monkeypatch.setattr(fix_apply, "fix_source", edit_then_fix)
    rc = cli.main([str(tmp_path)])
    err = capsys.readouterr().err
    assert rc == 2
    assert error_lines(err) == [f"{path}: error: changed while fixing; not written"]
    if edit == "same_size_and_mtime":
        assert path.read_text() == RNN_PROGRAM.replace("outs", "OUTS")
    elif edit == "deleted":
        assert not path.exists()
    else:
        assert path.is_dir()
    assert "jax.lax.scan" in other.read_text()
    expected = ["z_other.py"] if edit == "deleted" else ["rnn.py", "z_other.py"]
    assert sorted(p.name for p in tmp_path.iterdir()) == expected  # no temp files


def test_long_flat_sum_does_not_hide_the_file_loops():
    # A flat sum nests down its left side; the analysis walks that spine in a loop.
    for terms in (300, 1000):
        codes = [d.code for d in lint_source(_deep("binop", terms))]
        assert codes == ["JXL101", "JXL201"]
