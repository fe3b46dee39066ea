"""``jaxloop-fix``: rewrite the loops jaxloop-lint finds, or report what it would do.

Usage: ``jaxloop-fix [OPTIONS] PATH...``. A PATH is a file, a directory (walked recursively for
``*.py``; hidden directories and ``.venv``, ``venv``, ``__pycache__``, ``build``, ``dist``,
``node_modules``, ``site-packages`` are skipped) or ``-`` for stdin.

Modes:

* default: rewrite files in place (atomically, keeping encoding, BOM, line endings and
  permission bits; a file with nothing to fix is never touched). With ``-`` the fixed text goes
  to stdout and the report to stderr.
* ``--diff``: print a unified diff of the fixes to stdout, write nothing; the findings the diff
  does not fix go to stderr.
* ``--check``: write nothing, print every finding to stdout.

Exit codes:

* 0 -- no finding remains: the files were clean, or every finding was fixed (write mode only).
* 1 -- findings remain: in ``--check`` and ``--diff`` mode any finding at all; in write mode a
  finding that was not fixed.
* 2 -- usage error, or at least one file could not be read, decoded, parsed or written (one
  ``path: error: reason`` line each on stderr; the other files are still processed). 2 wins
  over 1.

The command never exits 0 while a finding remains.
"""
from __future__ import annotations

import argparse
import codecs
import difflib
import io
import os
import re
import stat
import sys
import tempfile
import tokenize
from dataclasses import dataclass, field
from typing import Iterable, Optional, Sequence, TextIO

from jaxloop_lint import Diagnostic, SourceError, __version__
from jaxloop_lint.core import decode
from jaxloop_lint.diagnostics import Applicability
from jaxloop_lint.project_config import ConfigError

from . import apply as _apply  # looked up at call time, so tests can monkeypatch fix_source
from .apply import FileFix
from .settings import FileSettings, Resolver

EXIT_CLEAN = 0
EXIT_FINDINGS = 1
EXIT_ERROR = 2

STDIN = "-"
STDIN_NAME = "<stdin>"
SKIP_DIRS = frozenset({".venv", "venv", "__pycache__", "build", "dist", "node_modules",
                       "site-packages"})
_CODE_PREFIX = re.compile(r"^[A-Z]+[0-9]*$")

EPILOG = """\
exit codes:
  0  no finding remains (the files were clean, or every finding was fixed)
  1  findings remain: with --check or --diff any finding; otherwise a finding that was not fixed
  2  usage error, or a file could not be read, decoded, parsed or written (2 wins over 1)

A file that cannot be processed is reported as `path: error: reason` on stderr and the run goes
on with the other files. `-` reads stdin; in the default mode the fixed text is written to stdout.
"""


class FileError(Exception):
    """A file could not be processed; ``str()`` is the reason shown after ``path: error:``."""


# --------------------------------------------------------------------------------------------
# Reading and writing with the file's own encoding, BOM and line endings


@dataclass
class Source:
    path: str              # as displayed (and as given to the core)
    data: bytes            # the exact bytes read
    text: str              # decoded, BOM stripped, line endings normalised to "\n" if CRLF
    encoding: str
    bom: bool
    crlf: bool
    st: Optional[os.stat_result] = None  # None for stdin

    def original_text(self) -> str:
        """The decoded text with the file's own line endings (for diffs)."""
        return self.restore_newlines(self.text)

    def restore_newlines(self, text: str) -> str:
        return text.replace("\n", "\r\n") if self.crlf else text

    def encode(self, text: str) -> bytes:
        """``text`` (with "\\n" line endings) as this file's bytes."""
        try:
            body = self.restore_newlines(text).encode(self.encoding)
        except UnicodeEncodeError as exc:
            raise FileError(f"the fixed text cannot be encoded as {self.encoding} ({exc.reason}); "
                            "not written") from None
        return (codecs.BOM_UTF8 if self.bom else b"") + body


def from_bytes(path: str, data: bytes, st: Optional[os.stat_result] = None) -> Source:
    try:
        text = decode(data)
    except SourceError as exc:
        raise FileError(str(exc)) from None
    # decode() succeeded, so detect_encoding does too; it only reads the first two lines.
    encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
    bom = data.startswith(codecs.BOM_UTF8)
    if encoding == "utf-8-sig":
        encoding = "utf-8"
    first = text.find("\n")
    crlf = first > 0 and text[first - 1] == "\r"
    if crlf:
        text = text.replace("\r\n", "\n")
    return Source(path, data, text, encoding, bom, crlf, st)


def _reason(exc: OSError) -> str:
    return (exc.strerror or str(exc)).lower()


def read_source(path: str) -> Source:
    """Read a file for fixing. Raises ``FileError``."""
    try:
        with open(path, "rb") as fh:
            st = os.fstat(fh.fileno())
            if stat.S_ISDIR(st.st_mode):
                raise FileError("is a directory")
            if not stat.S_ISREG(st.st_mode):
                raise FileError("not a regular file")
            data = fh.read()
    except FileNotFoundError:
        raise FileError("no such file or directory") from None
    except IsADirectoryError:
        raise FileError("is a directory") from None
    except PermissionError:
        raise FileError("cannot read: permission denied") from None
    except OSError as exc:
        raise FileError(f"cannot read: {_reason(exc)}") from None
    return from_bytes(path, data, st)


def _unchanged_since_read(src: Source, target: str) -> bool:
    try:
        st = os.stat(target)
        with open(target, "rb") as fh:
            data = fh.read()
    except OSError:
        return False
    assert src.st is not None
    return (st.st_mtime_ns, st.st_size) == (src.st.st_mtime_ns, src.st.st_size) \
        and data == src.data


def write_source(src: Source, fixed: str) -> None:
    """Replace the file atomically with ``fixed``. Raises ``FileError``."""
    payload = src.encode(fixed)
    target = os.path.realpath(src.path)  # replace a symlink's target, not the link
    if not os.access(target, os.W_OK):
        raise FileError("file is not writable; not written")
    directory = os.path.dirname(target) or "."
    try:
        fd, tmp = tempfile.mkstemp(dir=directory, prefix=f".{os.path.basename(target)}.",
                                   suffix=".jaxloop-fix.tmp")
    except OSError as exc:
        raise FileError(f"cannot write: {_reason(exc)}") from None
    replaced = False
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(payload)
            fh.flush()
            os.fsync(fh.fileno())
        assert src.st is not None
        os.chmod(tmp, stat.S_IMODE(src.st.st_mode))
        if not _unchanged_since_read(src, target):
            raise FileError("changed while fixing; not written")
        os.replace(tmp, target)
        replaced = True
    except OSError as exc:
        raise FileError(f"cannot write: {_reason(exc)}") from None
    finally:  # also on KeyboardInterrupt: no temp file is left behind
        if not replaced:
            _remove(tmp)


def _remove(path: str) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass


# --------------------------------------------------------------------------------------------
# Finding the files


def collect(paths: Sequence[str], errors: list[tuple[str, str]]) -> list[str]:
    """Files to process, deduplicated and sorted; missing paths go to ``errors``."""
    files: set[str] = set()
    for path in paths:
        if path == STDIN:
            continue
        if os.path.isdir(path):
            files.update(_walk(path, errors))
        elif os.path.lexists(path):
            files.add(os.path.normpath(path))
        else:
            errors.append((path, "no such file or directory"))
    return sorted(files)


def _walk(top: str, errors: list[tuple[str, str]]) -> Iterable[str]:
    def onerror(exc: OSError) -> None:
        errors.append((exc.filename or top, f"cannot list directory: {_reason(exc)}"))

    for root, dirs, names in os.walk(top, onerror=onerror):
        keep = []
        for d in dirs:
            if d.startswith(".") or d in SKIP_DIRS:
                continue
            if d.endswith(".py"):  # reading it fails with a clear error instead of descending
                yield os.path.normpath(os.path.join(root, d))
                continue
            keep.append(d)
        dirs[:] = sorted(keep)
        for name in names:
            if name.endswith(".py"):
                yield os.path.normpath(os.path.join(root, name))


# --------------------------------------------------------------------------------------------
# Command line


def _code_list(value: str) -> tuple[str, ...]:
    codes = tuple(c.strip().upper() for c in value.split(",") if c.strip())
    for code in codes:
        if not _CODE_PREFIX.match(code):
            raise argparse.ArgumentTypeError(f"not a code or code prefix: {code!r}")
    return codes


def _name_list(value: str) -> tuple[str, ...]:
    return tuple(n.strip() for n in value.split(",") if n.strip())


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="jaxloop-fix",
        description="Rewrite Python loops in traced JAX code into jax.lax loops "
                    "(the findings of jaxloop-lint that have a fix).",
        epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("paths", nargs="+", metavar="PATH",
                        help="files or directories (searched for *.py); '-' reads stdin")
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--diff", action="store_true",
                      help="print a unified diff of the fixes instead of writing them")
    mode.add_argument("--check", action="store_true",
                      help="write nothing; print the findings and exit 1 if there are any")
    parser.add_argument("--unsafe-fixes", action="store_true",
                        help="also apply fixes marked unsafe (review them)")
    parser.add_argument("--select", type=_code_list, default=(), metavar="CODES",
                        help="comma-separated codes or prefixes to consider (default: all)")
    parser.add_argument("--ignore", type=_code_list, default=(), metavar="CODES",
                        help="comma-separated codes or prefixes to leave alone")
    parser.add_argument("--extra-jit-decorators", type=_name_list, default=(), metavar="NAMES",
                        help="comma-separated names of your own jit-like decorators "
                             "(e.g. mypkg.compile.my_jit)")
    parser.add_argument("--show-fixes", action="store_true",
                        help="print each applied fix (in --diff mode: each fix the diff makes)")
    parser.add_argument("-q", "--quiet", action="store_true",
                        help="no summary line; findings and errors are still printed")
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    return parser


@dataclass
class Run:
    args: argparse.Namespace
    resolve: Resolver                   # [tool.jaxloop] merged with the options, per file
    report: TextIO                      # where findings go (stdout unless stdout carries code)
    remaining: list[Diagnostic] = field(default_factory=list)
    applied: list[Diagnostic] = field(default_factory=list)
    fixable: int = 0                    # --check: findings with a fix that would apply
    unsafe_available: int = 0           # unsafe fixes not applied for lack of --unsafe-fixes
    errors: int = 0
    files: int = 0

    def error(self, path: str, reason: str) -> None:
        self.errors += 1
        _write(sys.stderr, f"{path}: error: {reason}\n")

    def settings(self, path: str) -> FileSettings:
        return self.resolve(path, "." if path == STDIN_NAME else "")

    def check(self, src: Source) -> None:
        """--check: count the findings, fix nothing."""
        s = self.settings(src.path)
        diags = _apply.findings(src.text, src.path, s.config, s.select, s.ignore)
        self.remaining.extend(diags)
        for d in diags:
            if d.fix is None:
                continue
            if d.fix.applicability is Applicability.SAFE or s.unsafe:
                self.fixable += 1
            else:
                self.unsafe_available += 1

    def fix(self, src: Source) -> FileFix:
        s = self.settings(src.path)
        return _apply.fix_source(src.text, src.path, config=s.config, unsafe=s.unsafe,
                                 select=s.select, ignore=s.ignore)

    def commit(self, result: FileFix) -> None:
        """Count a file's fixes once they are written (or shown, with --diff)."""
        self.applied.extend(result.applied)
        self.remaining.extend(result.remaining)
        if not self.settings(result.path).unsafe:
            self.unsafe_available += sum(
                1 for d in result.remaining
                if d.fix is not None and d.fix.applicability is Applicability.UNSAFE)
        if self.args.show_fixes:
            for d in result.applied:
                description = d.fix.description if d.fix is not None else d.message
                _write(self.report, f"{d.path}:{d.line}:{d.col + 1}: {d.code} [fixed] "
                                    f"{description}\n")

    def exit_code(self) -> int:
        if self.errors:
            return EXIT_ERROR
        if self.remaining or ((self.args.diff or self.args.check) and self.applied):
            return EXIT_FINDINGS
        return EXIT_CLEAN

    def summary(self) -> str:
        total = len(self.remaining) + len(self.applied)
        parts = [_plural(total, "finding")]
        if self.args.check or self.args.diff:
            fixable = self.fixable if self.args.check else len(self.applied)
            parts[0] += f", {fixable} fixable"
        else:
            parts[0] += f", {len(self.applied)} fixed"
        if self.unsafe_available:
            parts[0] += f" ({self.unsafe_available} more with --unsafe-fixes)"
        if self.errors:
            parts.append(_plural(self.errors, "file error"))
        return ", ".join(parts)


def _plural(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def _write(stream: TextIO, text: str) -> None:
    try:
        stream.write(text)
    except UnicodeEncodeError:  # a terminal that cannot show the file's characters
        enc = getattr(stream, "encoding", None) or "ascii"
        stream.write(text.encode(enc, "backslashreplace").decode(enc))


def _write_bytes(stream: TextIO, data: bytes) -> None:
    buffer = getattr(stream, "buffer", None)
    if buffer is None:
        stream.write(data.decode("utf-8", "surrogateescape"))
        return
    stream.flush()
    buffer.write(data)
    buffer.flush()


def unified_diff(src: Source, fixed: str) -> str:
    name = src.path.replace(os.sep, "/")
    if name.startswith("./"):
        name = name[2:]
    name = name.lstrip("/")
    before = src.original_text().splitlines(True)
    after = src.restore_newlines(fixed).splitlines(True)
    out = []
    for line in difflib.unified_diff(before, after, f"a/{name}", f"b/{name}"):
        out.append(line)
        if not line.endswith("\n"):
            out.append("\n\\ No newline at end of file\n")
    return "".join(out)


def main(argv: Optional[Sequence[str]] = None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # --help, --version, or a usage error (argparse prints it)
        return exc.code if isinstance(exc.code, int) else EXIT_ERROR
    if args.paths.count(STDIN) > 1:
        parser.print_usage(sys.stderr)
        _write(sys.stderr, "jaxloop-fix: error: '-' (stdin) can be given only once\n")
        return EXIT_ERROR

    stdin_to_stdout = STDIN in args.paths and not (args.check or args.diff)
    run = Run(args, Resolver(args.select, args.ignore, args.extra_jit_decorators,
                             args.unsafe_fixes),
              sys.stderr if (args.diff or stdin_to_stdout) else sys.stdout)

    path_errors: list[tuple[str, str]] = []
    files = collect(args.paths, path_errors)
    try:  # a bad [tool.jaxloop] stops the run before any file is touched
        for path in files + ([STDIN_NAME] if STDIN in args.paths else []):
            run.settings(path)
    except ConfigError as exc:
        _write(sys.stderr, f"jaxloop-fix: error: {exc}\n")
        return EXIT_ERROR
    for path, reason in path_errors:
        run.error(path, reason)

    if STDIN in args.paths:
        _process_stdin(run)
    for path in files:
        _process_file(run, path)

    for d in sorted(run.remaining, key=lambda d: (d.path, d.line, d.col, d.code)):
        _write(run.report, d.format() + "\n")
    if not args.quiet:
        if not files and STDIN not in args.paths and not path_errors:
            _write(sys.stderr, "warning: no Python files found\n")
        _write(sys.stderr, run.summary() + "\n")
    return run.exit_code()


def _guarded(call, src: Source):
    """Run the core or a fixer on ``src``; any failure becomes a ``FileError``."""
    try:
        return call(src)
    except SourceError as exc:
        raise FileError(str(exc)) from None
    except Exception as exc:  # a bug in a fixer must not cost the other files their fixes
        raise FileError(f"internal error: {type(exc).__name__}: {exc}") from None


def _process_file(run: Run, path: str) -> None:
    run.files += 1
    try:
        src = read_source(path)
        if run.args.check:
            _guarded(run.check, src)
            return
        result = _guarded(run.fix, src)
        if result.fixed != src.text:
            if run.args.diff:
                _write(sys.stdout, unified_diff(src, result.fixed))
            else:
                write_source(src, result.fixed)
        run.commit(result)
    except FileError as exc:
        run.error(path, str(exc))


def _process_stdin(run: Run) -> None:
    """``-``: read stdin; in write mode the fixed (on error: unchanged) text goes to stdout."""
    run.files += 1
    stdin = sys.stdin
    data = stdin.buffer.read() if hasattr(stdin, "buffer") else stdin.read().encode("utf-8")
    echo = not (run.args.check or run.args.diff)
    try:
        src = from_bytes(STDIN_NAME, data)
        if run.args.check:
            _guarded(run.check, src)
            return
        result = _guarded(run.fix, src)
        if run.args.diff:
            if result.fixed != src.text:
                _write(sys.stdout, unified_diff(src, result.fixed))
        else:
            _write_bytes(sys.stdout, data if result.fixed == src.text
                         else src.encode(result.fixed))
        run.commit(result)
    except FileError as exc:
        run.error(STDIN_NAME, str(exc))
        if echo:
            _write_bytes(sys.stdout, data)  # an editor's buffer must not be wiped


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
