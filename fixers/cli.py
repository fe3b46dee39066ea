"""``jaxloop-fix``: rewrite the loops jaxloop-lint finds, or report what it would do.

Usage: ``jaxloop-fix [OPTIONS] PATH...``. A PATH is a file, a directory (walked recursively for
``*.py``, leaving out what ``.gitignore``, ``exclude`` and ``extend-exclude`` exclude, hidden
directories, virtualenvs and caches: ``discovery.py``) or ``-`` for stdin. ``jaxloop-fix
--clean`` removes the result cache.

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
* 130 -- interrupted (Ctrl-C): one line, no traceback; workers are stopped.

The command never exits 0 while a finding remains.

Files run in parallel (``-j N``, default one process per core; ``parallel.py``), unchanged ones
are answered from the result cache (``--no-cache``; ``cache/``), and everything is printed
here, in path order, after the workers are done. Names and text from the tree are printed
through ``printable.py``.
"""
from __future__ import annotations

import argparse
import functools
import sys
import time
from dataclasses import dataclass, field, replace
from typing import Optional, Sequence, TextIO

from jaxloop_lint import Diagnostic, __version__
from jaxloop_lint.catalog import code_error
from jaxloop_lint.diagnostics import Applicability
from jaxloop_lint.project_config import ConfigError

from . import parallel
from . import cache as result_cache
from .discovery import STDIN, Filters, collect
from .edits import TextEdit
from .formats import FORMATS, Finding, render
from .printable import display_path, printable
from .progress import Progress
from .runner import CHECK, DIFF, WRITE, FileResult, Options, analyse, unified_diff
from .settings import Resolver
from .sources import FileError, from_bytes
from .summary import breakdown, files_line, plural

EXIT_CLEAN = 0
EXIT_FINDINGS = 1
EXIT_ERROR = 2
EXIT_INTERRUPTED = 130

STDIN_NAME = "<stdin>"

EPILOG = """\
exit codes:
  0  no finding remains (the files were clean, or every finding was fixed)
  1  findings remain: with --check or --diff any finding; otherwise a finding that was not fixed
  2  usage error, or a file could not be read, decoded, parsed or written (2 wins over 1)
  130  interrupted (Ctrl-C)

A file that cannot be processed is reported as `path: error: reason` on stderr and the run goes
on with the other files. `-` reads stdin; in the default mode the fixed text is written to stdout.
"""


def _code_list(value: str) -> tuple[str, ...]:
    """Checked against the catalog after parsing (``_bad_code``), as ``[tool.jaxloop]`` is."""
    return tuple(c.strip().upper() for c in value.split(",") if c.strip())


def _bad_code(args: argparse.Namespace) -> Optional[str]:
    """The first ``--select`` / ``--ignore`` code that names no rule, as one line."""
    for option in ("select", "ignore"):
        for code in getattr(args, option):
            error = code_error(code)
            if error is not None:
                return f"--{option}: {error}"
    return None


def _name_list(value: str) -> tuple[str, ...]:
    return tuple(n.strip() for n in value.split(",") if n.strip())


def _jobs(value: str) -> int:
    try:
        jobs = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {value!r}") from None
    if jobs < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return jobs


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="jaxloop-fix",
        description="Rewrite Python loops in traced JAX code into jax.lax loops "
                    "(the findings of jaxloop-lint that have a fix).",
        epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("paths", nargs="*", metavar="PATH",
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
    parser.add_argument("--output-format", choices=FORMATS, default="text",
                        help="how --check reports findings: text (default), json or sarif "
                             "(with each fix as an edit), github (Actions annotations)")
    parser.add_argument("--show-fixes", action="store_true",
                        help="print each applied fix (in --diff mode: each fix the diff makes), "
                             "and under each finding its detail: why, and the whole fix or "
                             "the whole reason there is none")
    parser.add_argument("-j", "--jobs", type=_jobs, default=None, metavar="N",
                        help="processes to run (default: one per core)")
    parser.add_argument("--exclude", type=_name_list, default=None, metavar="PATTERNS",
                        help="comma-separated globs a directory walk leaves out; replaces "
                             "exclude in [tool.jaxloop] and the defaults (build, dist, venv, "
                             "...)")
    parser.add_argument("--extend-exclude", type=_name_list, default=(), metavar="PATTERNS",
                        help="comma-separated globs to leave out as well")
    parser.add_argument("--force-exclude", action="store_true",
                        help="apply the excludes and .gitignore to files named on the command "
                             "line too (for pre-commit)")
    parser.add_argument("--follow-external-symlinks", action="store_true",
                        help="read symlinks whose target is outside the tree being checked "
                             "(refused by default)")
    parser.add_argument("--no-cache", action="store_true",
                        help="neither read nor write the result cache")
    parser.add_argument("--cache-dir", metavar="DIR", default=None,
                        help="where cached results live (default: $JAXLOOP_CACHE_DIR, else "
                             "cache-dir in [tool.jaxloop], else the user's cache directory)")
    parser.add_argument("--clean", action="store_true",
                        help="remove the result cache this command would use, and exit")
    parser.add_argument("-q", "--quiet", action="store_true",
                        help="no progress and no summary; findings and errors are still printed")
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    return parser


@dataclass
class Run:
    args: argparse.Namespace
    options: Options                    # from the command line; options_for adds [tool.jaxloop]
    resolve: Resolver
    report: TextIO                      # where findings go (stdout unless stdout carries code)
    remaining: list[Diagnostic] = field(default_factory=list)
    applied: list[Diagnostic] = field(default_factory=list)
    errors: int = 0
    edits: dict[tuple, TextEdit] = field(default_factory=dict)  # --output-format json / sarif
    files: int = 0
    cached: int = 0

    def error(self, path: str, reason: str) -> None:
        self.errors += 1
        _write(sys.stderr, f"{display_path(path)}: error: {printable(reason)}\n")

    def add(self, result: FileResult) -> None:
        """Print one file's error, diff and applied fixes, and count its findings."""
        self.files += 1
        self.cached += result.cached
        if result.error is not None:
            self.error(result.path, result.error)
            return
        if result.diff:
            _write(sys.stdout, result.diff)
        self.applied.extend(result.applied)
        self.remaining.extend(result.remaining)
        for d, edit in zip(result.remaining, result.edits):
            if edit is not None:
                self.edits[_key(d)] = edit
        if self.args.show_fixes:
            for d in result.applied:
                description = d.fix.description if d.fix is not None else d.message
                _write(self.report, f"{display_path(d.path)}:{d.line}:{d.col + 1}: {d.code} "
                                    f"[fixed] {printable(description)}\n")

    def options_for(self, path: str) -> Options:
        """``path``'s options: the command line merged with its [tool.jaxloop]. Raises
        ``ConfigError``."""
        s = self.resolve(path, "." if path == STDIN_NAME else "")
        return replace(self.options, unsafe=s.unsafe, select=s.select, ignore=s.ignore,
                       config=s.config)

    def _would_apply(self, d: Diagnostic) -> bool:
        return d.fix is not None and (d.fix.applicability is Applicability.SAFE
                                      or self.options_for(d.path).unsafe)

    def exit_code(self) -> int:
        if self.errors:
            return EXIT_ERROR
        if self.remaining or ((self.args.diff or self.args.check) and self.applied):
            return EXIT_FINDINGS
        return EXIT_CLEAN

    def summary(self, seconds: float) -> list[str]:
        """The closing summary; its last line is the totals."""
        return breakdown(self.remaining + self.applied) + [
            files_line(self.files, self.cached, seconds), self.totals()]

    def totals(self) -> str:
        total = len(self.remaining) + len(self.applied)
        # An unsafe fix that was left for lack of --unsafe-fixes.
        unsafe_available = sum(1 for d in self.remaining
                               if d.fix is not None and not self._would_apply(d))
        parts = [plural(total, "finding")]
        if self.args.check:
            parts[0] += f", {sum(1 for d in self.remaining if self._would_apply(d))} fixable"
        elif self.args.diff:
            parts[0] += f", {len(self.applied)} fixable"
        else:
            parts[0] += f", {len(self.applied)} fixed"
        if unsafe_available:
            parts[0] += f" ({unsafe_available} more with --unsafe-fixes)"
        if self.errors:
            parts.append(plural(self.errors, "file error"))
        return ", ".join(parts)


def _key(d: Diagnostic) -> tuple:
    return d.path, d.line, d.col, d.code


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


def _options(args: argparse.Namespace) -> Options:
    mode = CHECK if args.check else DIFF if args.diff else WRITE
    return Options(mode, args.unsafe_fixes, args.select, args.ignore,
                   edits=args.output_format in ("json", "sarif"))


def _resolver(args: argparse.Namespace) -> Resolver:
    return Resolver(args.select, args.ignore, args.extra_jit_decorators, args.unsafe_fixes)


def _interruptible(main):
    """Ctrl-C: one line and exit code 130, never a traceback (the workers are stopped already,
    by parallel.py)."""
    @functools.wraps(main)
    def run(argv: Optional[Sequence[str]] = None) -> int:
        try:
            return main(argv)
        except KeyboardInterrupt:
            _write(sys.stderr, "jaxloop-fix: interrupted\n")
            return EXIT_INTERRUPTED
    return run


def _usage_error(parser: argparse.ArgumentParser, message: str) -> int:
    parser.print_usage(sys.stderr)
    _write(sys.stderr, f"jaxloop-fix: error: {message}\n")
    return EXIT_ERROR


def _filters(args: argparse.Namespace) -> Filters:
    return Filters(exclude=args.exclude, extend_exclude=args.extend_exclude,
                   force_exclude=args.force_exclude,
                   follow_external_symlinks=args.follow_external_symlinks)


def _cache_location(args: argparse.Namespace, resolve: Resolver) -> result_cache.Location:
    """Raises ``ConfigError``: ``cache-dir`` comes from the current directory's table."""
    import os

    project = resolve.project(os.getcwd())
    return result_cache.locate(args.cache_dir, project.cache_dir, project.root)


def _clean(args: argparse.Namespace, resolve: Resolver) -> int:
    try:
        location = _cache_location(args, resolve)
        done = result_cache.clean(location)
    except ConfigError as exc:
        _write(sys.stderr, f"jaxloop-fix: error: {printable(str(exc))}\n")
        return EXIT_ERROR
    except (result_cache.Unusable, OSError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        _write(sys.stderr, f"jaxloop-fix: error: {printable(location.path)}: "
                           f"{printable(reason)}\n")
        return EXIT_ERROR
    _write(sys.stderr, printable(done) + "\n")
    return EXIT_CLEAN


@_interruptible
def main(argv: Optional[Sequence[str]] = None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # --help, --version, or a usage error (argparse prints it)
        return exc.code if isinstance(exc.code, int) else EXIT_ERROR
    if args.clean:
        if args.paths:
            return _usage_error(parser, "--clean takes no PATH")
        return _clean(args, _resolver(args))
    if not args.paths:
        return _usage_error(parser, "the following arguments are required: PATH")
    if args.paths.count(STDIN) > 1:
        parser.print_usage(sys.stderr)
        _write(sys.stderr, "jaxloop-fix: error: '-' (stdin) can be given only once\n")
        return EXIT_ERROR

    bad_code = _bad_code(args)
    if bad_code is not None:  # a typo must not select nothing and pass
        _write(sys.stderr, f"jaxloop-fix: error: {bad_code}\n")
        return EXIT_ERROR

    if args.output_format != "text" and not args.check:
        parser.print_usage(sys.stderr)
        _write(sys.stderr, "jaxloop-fix: error: --output-format needs --check\n")
        return EXIT_ERROR

    start = time.monotonic()
    stdin_to_stdout = STDIN in args.paths and not (args.check or args.diff)
    run = Run(args, _options(args), _resolver(args),
              sys.stderr if (args.diff or stdin_to_stdout) else sys.stdout)

    path_errors: list[tuple[str, str]] = []
    try:  # a bad [tool.jaxloop] stops the run before any file is touched
        files = collect(args.paths, path_errors, _filters(args), run.resolve)
        options = {path: run.options_for(path)
                   for path in files + ([STDIN_NAME] if STDIN in args.paths else [])}
        location = _cache_location(args, run.resolve) if files and not args.no_cache else None
    except ConfigError as exc:
        _write(sys.stderr, f"jaxloop-fix: error: {printable(str(exc))}\n")
        return EXIT_ERROR
    for path, reason in path_errors:
        run.error(path, reason)

    if STDIN in args.paths:
        _process_stdin(run)
    cache = None
    if location is not None:
        cache = result_cache.Cache.open(location, warn=None if args.quiet else (
            lambda reason: _write(sys.stderr, f"warning: {printable(reason)}\n")))
    progress = Progress(sys.stderr, len(files), enabled=not args.quiet)
    try:  # each file with its own options ([tool.jaxloop] of its project, per-file-ignores)
        results = parallel.run(
            files, {path: options[path] for path in files},
            args.jobs or parallel.default_jobs(), cache,
            on_result=lambda r: progress.update(len(r.remaining) + len(r.applied)))
    finally:
        progress.close()
    if cache is not None:
        cache.close()  # prunes old entries when due
    for result in results:  # in path order, whatever order the workers finished in
        run.add(result)

    _write(run.report, render(args.output_format,
                              [Finding(d, run.edits.get(_key(d))) for d in run.remaining],
                              details=args.show_fixes))
    if not args.quiet:
        if not files and STDIN not in args.paths and not path_errors:
            _write(sys.stderr, "warning: no Python files found\n")
        for line in run.summary(time.monotonic() - start):
            _write(sys.stderr, printable(line) + "\n")
    return run.exit_code()


def _process_stdin(run: Run) -> None:
    """``-``: read stdin; in write mode the fixed (on error: unchanged) text goes to stdout."""
    stdin = sys.stdin
    data = stdin.buffer.read() if hasattr(stdin, "buffer") else stdin.read().encode("utf-8")
    try:
        src = from_bytes(STDIN_NAME, data)
        result, fixed = analyse(src, run.options_for(STDIN_NAME))
        if fixed is not None and fixed != src.text:
            if run.options.mode == DIFF:
                result.diff = unified_diff(src, fixed)
            else:
                data = src.encode(fixed)
    except FileError as exc:
        result = FileResult(STDIN_NAME, error=str(exc))
    if run.options.mode == WRITE:  # on error the text is echoed: an editor's buffer is kept
        _write_bytes(sys.stdout, data)
    run.add(result)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
