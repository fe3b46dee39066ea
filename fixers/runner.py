"""One file in, one plain ``FileResult`` out: findings, applied fixes, the diff, or an error.

Runs in the parent or in a worker process, so it never prints and returns only picklable data
(the analysis's rewrite plans are dropped: the parent needs a fix's safety and description only).
"""
from __future__ import annotations

import dataclasses
import gc
import os
import warnings
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Iterable, Iterator, Mapping, Optional, Sequence, Union

from jaxloop_lint import Config, Diagnostic, Fix

from .printable import printable
from .sources import FileError, Source, read_source, write_source

if TYPE_CHECKING:
    from .cache import Keyer
    from .edits import TextEdit

CHECK, DIFF, WRITE = "check", "diff", "write"


@dataclass(frozen=True)
class Options:
    """What to do with each file; picklable, and part of the cache key."""

    mode: str = WRITE                   # CHECK, DIFF or WRITE
    unsafe: bool = False
    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    config: Config = field(default_factory=Config)
    edits: bool = False                 # CHECK: also each fix as a text edit (JSON, SARIF)


@dataclass
class FileResult:
    path: str
    remaining: list[Diagnostic] = field(default_factory=list)  # --check: every finding
    applied: list[Diagnostic] = field(default_factory=list)    # written, or shown in the diff
    diff: str = ""                                             # --diff: the unified diff
    error: Optional[str] = None                                # set: nothing else is
    edits: list[Optional["TextEdit"]] = field(default_factory=list)  # Options.edits: per remaining
    cached: bool = False                                       # answered from the cache
    cache_key: Optional[str] = None    # set: the main process may store this result under it


def without_plans(diags: Sequence[Diagnostic]) -> list[Diagnostic]:
    return [d if d.fix is None or d.fix.plan is None
            else dataclasses.replace(d, fix=Fix(d.fix.applicability, d.fix.description))
            for d in diags]


class InternalError(FileError):
    """A bug, not a property of the file: never cached."""


def _guarded(call, *args, **kwargs):
    """Run the core or a fixer; any failure becomes a ``FileError``."""
    from jaxloop_lint.core import SourceError

    try:
        return call(*args, **kwargs)
    except SourceError as exc:
        raise FileError(str(exc)) from None
    except Exception as exc:  # a bug in a fixer must not cost the other files their fixes
        raise InternalError(f"internal error: {type(exc).__name__}: {exc}") from None


def analyse(src: Source, options: Options) -> tuple[FileResult, Optional[str]]:
    """Lint (``--check``) or fix ``src`` in memory: the result and the fixed text (``None`` for
    ``--check``). Raises ``FileError``."""
    from . import apply as _apply  # looked up at call time, so tests can monkeypatch fix_source

    if options.mode == CHECK:
        diags = _guarded(_apply.findings, src.text, src.path, options.config, options.select,
                         options.ignore)
        edits = [_edit_or_none(src, d) for d in diags] if options.edits else []
        return FileResult(src.path, without_plans(diags), edits=edits), None
    fixed = _guarded(_apply.fix_source, src.text, src.path, config=options.config,
                     unsafe=options.unsafe, select=options.select, ignore=options.ignore)
    result = FileResult(src.path, without_plans(fixed.remaining), without_plans(fixed.applied))
    return result, fixed.fixed


def _edit_or_none(src: Source, d: Diagnostic) -> Optional["TextEdit"]:
    """``d``'s fix as an edit, from the plan this analysis attached to it (no re-lint). A report
    still lists a finding whose fix the renderer fails on, without an edit."""
    from .edits import fix_edit

    try:
        return fix_edit(src.text, d)
    except Exception:
        return None


def process_file(path: str, options: Options, keyer: Optional["Keyer"] = None) -> FileResult:
    """Read, analyse and (in write mode) rewrite one file. A deterministic result gets its
    cache key (the main process stores it: workers never touch the cache)."""
    try:
        src = read_source(path)
    except FileError as exc:
        return FileResult(path, error=str(exc))
    try:
        with warnings.catch_warnings():  # e.g. SyntaxWarning from ast.parse: never printed
            warnings.simplefilter("ignore")
            result, fixed = analyse(src, options)
    except InternalError as exc:
        return FileResult(path, error=str(exc))
    except FileError as exc:
        result, fixed = FileResult(path, error=str(exc)), None
    if fixed is not None and fixed != src.text:
        if options.mode == DIFF:
            result.diff = unified_diff(src, fixed)
        else:
            try:
                write_source(src, fixed)
            except FileError as exc:
                return FileResult(path, error=str(exc))
            return result  # the file changed: its old content's entry would never be read
    if keyer is not None:
        result.cache_key = keyer.key(path, src.data, options)
    return result


# Automatic collection walks every young object each few hundred allocations, and parsing
# allocates a node per token: collecting once per file instead saves about a fifth of the time.
# The analysis's cycles (functions and their scopes) die with their file, so they are young.
_FULL_COLLECT_EVERY = 200


PerPath = Union[Options, Mapping[str, Options]]


def options_of(options: PerPath, path: str) -> Options:
    """One Options for every file, or each file's own (its project's ``[tool.jaxloop]``)."""
    return options if isinstance(options, Options) else options[path]


def process_paths(paths: Iterable[str], options: PerPath,
                  keyer: Optional["Keyer"] = None) -> Iterator[FileResult]:
    from .lifeline import check

    enabled = gc.isenabled()
    gc.disable()
    try:
        for n, path in enumerate(paths, 1):
            check()  # in a worker whose main process is gone: exit, write nothing more
            yield process_file(path, options_of(options, path), keyer)
            gc.collect(0 if n % _FULL_COLLECT_EVERY else 2)
    finally:
        if enabled:
            gc.enable()


def process_chunk(paths: Sequence[str], options: PerPath,
                  keyer: Optional["Keyer"] = None) -> list[FileResult]:
    """A worker process's task."""
    return list(process_paths(paths, options, keyer))


def unified_diff(src: Source, fixed: str) -> str:
    import difflib

    from jaxloop_lint.positions import physical_lines

    name = src.path.replace(os.sep, "/")
    if name.startswith("./"):
        name = name[2:]
    name = name.lstrip("/")
    old_name, new_name = f"a/{name}", f"b/{name}"
    if printable(name) != name or '"' in name:  # quoted as git quotes such names
        old_name, new_name = (f'"{printable(n).replace(chr(34), chr(92) + chr(34))}"'
                              for n in (old_name, new_name))
    # Lines as Python splits them: str.splitlines would also break at a form feed or \u2028
    # inside a line, and the diff would show (and a patch would make) lines that are not there.
    before = physical_lines(src.original_text())
    after = physical_lines(src.restore_newlines(fixed))
    out = []
    for line in difflib.unified_diff(before, after, old_name, new_name):
        out.append(line)
        if not line.endswith("\n"):
            out.append("\n\\ No newline at end of file\n")
    return "".join(out)
