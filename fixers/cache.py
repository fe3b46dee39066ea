"""Results of unchanged files, kept in ``.jaxloop_cache/``.

An entry is keyed by a hash of: the file's bytes and displayed path, the tool's version, the
Python version (it decides what parses), a hash of the tool's own source files (so editing the
analysis never serves stale results), and every option that changes a result. Entries are JSON,
written to a temporary file named after the writing process and renamed into place, so
concurrent runs at worst compute the same entry twice; an entry that cannot be read is a miss.
Any failure to use the cache directory turns the cache off for the run instead of failing it.
"""
from __future__ import annotations

import hashlib
import json
import os
import sys
from dataclasses import dataclass
from typing import TYPE_CHECKING, Optional

from jaxloop_lint import Applicability, Diagnostic, Fix, __version__

from .runner import CHECK, FileResult, Options

if TYPE_CHECKING:
    from pathlib import Path

DEFAULT_DIR = ".jaxloop_cache"
ENV_DIR = "JAXLOOP_CACHE_DIR"
_FORMAT = 1
_PACKAGES = ("jaxloop_lint", "fixers")


def default_directory() -> str:
    """``$JAXLOOP_CACHE_DIR``, else ``.jaxloop_cache`` in the current directory."""
    return os.environ.get(ENV_DIR) or DEFAULT_DIR


def code_fingerprint(root: Optional["Path"] = None) -> str:
    """A hash of the tool's own ``.py`` files (a developer's edit changes every key)."""
    from pathlib import Path

    digest = hashlib.sha256(f"{__version__}\0{sys.version}\0{_FORMAT}".encode())
    root = root or Path(__file__).resolve().parent.parent
    for package in _PACKAGES:
        for path in sorted((root / package).rglob("*.py")):
            digest.update(str(path.relative_to(root)).encode() + b"\0")
            digest.update(path.read_bytes())
    return digest.hexdigest()


def options_fingerprint(options: Options) -> str:
    config = options.config
    # --diff and write mode compute the same result; --check a different one.
    parts = ["check" if options.mode == CHECK else "fix", options.unsafe, options.select,
             options.ignore, config.extra_jit_decorators, config.flax_api, options.edits]
    return json.dumps(parts, default=list)


@dataclass(frozen=True)
class Cache:
    """Picklable: the parent makes it once and hands it to the workers."""

    directory: str
    prefix: bytes  # the tool's code fingerprint

    @classmethod
    def open(cls, directory: str) -> Optional["Cache"]:
        """The cache in ``directory``, or ``None`` if the directory is unusable."""
        try:
            _prepare(directory)
            prefix = f"{code_fingerprint()}\0".encode()
        except OSError:
            return None
        return cls(directory, prefix)

    def key(self, path: str, data: bytes, options: Options) -> str:
        """Per file: each file may have its own options (its project's ``[tool.jaxloop]``)."""
        return hashlib.sha256(self.prefix + options_fingerprint(options).encode() + b"\0"
                              + path.encode("utf-8", "surrogateescape") + b"\0"
                              + data).hexdigest()

    def _entry(self, key: str) -> str:
        return os.path.join(self.directory, key[:2], key[2:] + ".json")

    def get(self, key: str, path: str) -> Optional[FileResult]:
        try:
            with open(self._entry(key), encoding="utf-8") as fh:
                return _load(json.load(fh), path)
        except (OSError, ValueError, KeyError, TypeError, IndexError):
            return None  # missing, half-written by a crashed run, or corrupt: recompute

    def put(self, key: str, result: FileResult) -> None:
        entry = self._entry(key)
        tmp = f"{entry}.{os.getpid()}.tmp"  # one writer per process: the pid makes it unique
        try:
            try:
                fh = open(tmp, "w", encoding="utf-8")
            except FileNotFoundError:
                os.makedirs(os.path.dirname(entry), exist_ok=True)
                fh = open(tmp, "w", encoding="utf-8")
            try:
                with fh:
                    json.dump(_dump(result), fh)
                os.replace(tmp, entry)
            except BaseException:
                os.unlink(tmp)
                raise
        except OSError:
            pass  # a full disk or a read-only directory costs speed, never the run


def _prepare(directory: str) -> None:
    os.makedirs(directory, exist_ok=True)
    for name, text in ((".gitignore", "# Created by jaxloop-fix.\n*\n"),
                       ("CACHEDIR.TAG", "Signature: 8a477f597d28d172789f06886806bc55\n"
                                        "# This is a jaxloop-fix cache directory.\n")):
        marker = os.path.join(directory, name)
        if not os.path.exists(marker):
            with open(marker, "w", encoding="utf-8") as fh:
                fh.write(text)


def _dump_diag(d: Diagnostic) -> list:
    fix = None if d.fix is None else [d.fix.applicability.value, d.fix.description]
    return [d.code, d.line, d.col, d.message, d.end_line, d.end_col, fix, d.detail]


def _load_diag(row: list, path: str) -> Diagnostic:
    code, line, col, message, end_line, end_col, fix, detail = row
    return Diagnostic(code, line, col, message, path, end_line, end_col,
                      None if fix is None else Fix(Applicability(fix[0]), fix[1]), detail)


def _dump(result: FileResult) -> dict:
    return {"remaining": [_dump_diag(d) for d in result.remaining],
            "applied": [_dump_diag(d) for d in result.applied],
            "diff": result.diff, "error": result.error,
            "edits": [None if e is None else [list(e.start), list(e.end), e.new_text]
                      for e in result.edits]}


def _load(entry: dict, path: str) -> FileResult:
    edits = []
    if entry["edits"]:
        from .edits import TextEdit
        edits = [None if e is None else TextEdit(tuple(e[0]), tuple(e[1]), e[2])
                 for e in entry["edits"]]
    return FileResult(path, [_load_diag(r, path) for r in entry["remaining"]],
                      [_load_diag(r, path) for r in entry["applied"]], entry["diff"],
                      entry["error"], edits=edits, cached=True)
