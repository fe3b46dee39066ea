"""``[tool.jaxloop]`` in ``pyproject.toml``: the one configuration every front end reads.

Discovery: from the directory of the file being checked, walk up to the nearest
``pyproject.toml`` that has a ``[tool.jaxloop]`` table. A ``pyproject.toml`` without the table is
passed over (a sub-package's own metadata does not hide the repository's settings), and the walk
never leaves the repository: it stops after the first directory that holds ``.git``.

Keys (all optional)::

    [tool.jaxloop]
    select = ["JXL1", "JXL201"]          # codes or prefixes to report (default: all)
    ignore = ["JXL104"]                   # codes or prefixes to leave alone
    extra-jit-decorators = ["mypkg.compile.my_jit"]
    flax-api = "auto"                     # "auto" | "current" | "legacy"
    unsafe-fixes = false                  # let jaxloop-fix apply unsafe fixes too
    exclude = ["build", "dist"]           # jaxloop-fix's directory walk: replaces the defaults
    extend-exclude = ["generated/*.py"]   # ... or adds to them
    force-exclude = false                 # also exclude files named on the command line
    cache-dir = ".jaxloop_cache"          # jaxloop-fix's cache, inside this directory

    [tool.jaxloop.per-file-ignores]
    "tests/*" = ["JXL1"]                  # glob relative to this pyproject.toml's directory

Anything else (an unknown key, a wrong type, a code that names no rule) raises ``ConfigError``
naming the file and the key.
"""
from __future__ import annotations

import fnmatch
import functools
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Collection, Optional

from .catalog import code_error
from .config import FLAX_API_CHOICES, Config
from .files import ReadError, os_reason, read_regular

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10: the same parser under its backport name
    import tomli as tomllib  # type: ignore[no-redef]

PYPROJECT = "pyproject.toml"


class ConfigError(ValueError):
    """A bad ``[tool.jaxloop]``; ``str()`` names the file and the key."""


@dataclass(frozen=True)
class ProjectConfig:
    source: Optional[str] = None                # the pyproject.toml it came from; None: defaults
    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    per_file_ignores: tuple[tuple[str, tuple[str, ...]], ...] = ()
    extra_jit_decorators: tuple[str, ...] = ()
    flax_api: str = "auto"
    unsafe_fixes: bool = False
    exclude: Optional[tuple[str, ...]] = None      # None: the walk's defaults
    extend_exclude: tuple[str, ...] = ()
    force_exclude: bool = False
    cache_dir: Optional[str] = None                # relative to root, never outside it
    root: str = field(default=".", compare=False)  # directory per-file-ignores globs are under

    def core_config(self) -> Config:
        return Config(extra_jit_decorators=self.extra_jit_decorators, flax_api=self.flax_api)

    def ignores_for(self, path: str) -> tuple[str, ...]:
        """``ignore`` plus the codes of every per-file-ignores glob that matches ``path``."""
        codes = list(self.ignore)
        if self.per_file_ignores:
            rel = _relative(path, self.root)
            name = os.path.basename(path)
            for pattern, pattern_codes in self.per_file_ignores:
                if fnmatch.fnmatch(rel, pattern) or (
                        "/" not in pattern and fnmatch.fnmatch(name, pattern)):
                    codes.extend(pattern_codes)
        return tuple(codes)


DEFAULT = ProjectConfig()


def _relative(path: str, root: str) -> str:
    try:
        rel = os.path.relpath(os.path.abspath(path), root)
    except ValueError:  # another drive on Windows
        rel = path
    return rel.replace(os.sep, "/")


def find_pyproject(path: str) -> Optional[Path]:
    """The nearest ``pyproject.toml`` with a ``[tool.jaxloop]`` table above ``path``, if any."""
    here = Path(os.path.abspath(path))
    directory = here if here.is_dir() else here.parent
    for d in (directory, *directory.parents):
        candidate = d / PYPROJECT
        if candidate.is_file() and _has_table(candidate):
            return candidate
        if (d / ".git").exists():
            return None
    return None


def _has_table(pyproject: Path) -> bool:
    return "jaxloop" in _read(pyproject).get("tool", {})


# pyproject.toml comes with the code under review: read it like any untrusted file (no FIFO,
# device or unbounded read), and turn every way TOML parsing can fail into one ConfigError.
MAX_PYPROJECT_BYTES = 4 * 1024 * 1024


def _read(pyproject: Path) -> dict:
    try:
        st = pyproject.stat()
    except OSError as exc:
        raise ConfigError(f"{pyproject}: cannot read: {os_reason(exc)}") from None
    return _read_cached(str(pyproject), st.st_mtime_ns, st.st_size)


@functools.lru_cache(maxsize=64)
def _read_cached(pyproject: str, _mtime_ns: int, _size: int) -> dict:
    """Parsed once per version of the file (the editor server sees edits to it)."""
    try:
        data, _ = read_regular(pyproject, MAX_PYPROJECT_BYTES)
        return tomllib.loads(data.decode("utf-8"))
    except ReadError as exc:
        raise ConfigError(f"{pyproject}: {exc}") from None
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{pyproject}: not UTF-8 ({exc.reason} at byte {exc.start})") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{pyproject}: invalid TOML: {exc}") from None
    except RecursionError:
        raise ConfigError(f"{pyproject}: invalid TOML: nested too deeply") from None


def for_child(directory: str, names: Collection[str], parent: ProjectConfig) -> ProjectConfig:
    """``for_path(directory)`` for a directory whose entries (``names``) are known and whose
    parent's configuration is ``parent``: what a directory walk needs, without walking up."""
    if PYPROJECT in names:
        candidate = Path(directory) / PYPROJECT
        if candidate.is_file() and _has_table(candidate):
            return from_table(_read(candidate)["tool"]["jaxloop"], str(candidate))
    if ".git" in names and os.path.exists(os.path.join(directory, ".git")):
        return DEFAULT
    return parent


def for_path(path: str) -> ProjectConfig:
    """The configuration that applies to ``path`` (a file or directory). Raises ConfigError."""
    pyproject = find_pyproject(path)
    if pyproject is None:
        return DEFAULT
    return from_table(_read(pyproject)["tool"]["jaxloop"], str(pyproject))


# ------------------------------------------------------------------------------------------
# Validation: one error that names the file and the key


def from_table(table: Any, source: str) -> ProjectConfig:
    """Check a ``[tool.jaxloop]`` table and turn it into a ProjectConfig."""
    def fail(key: str, reason: str) -> ConfigError:
        return ConfigError(f"{source}: [tool.jaxloop] {key}: {reason}")

    if not isinstance(table, dict):
        raise fail("", "must be a table")
    unknown = sorted(set(table) - set(_KEYS))
    if unknown:
        raise fail(unknown[0], f"unknown key (known: {', '.join(_KEYS)})")
    values: dict[str, Any] = {}
    for key, check in _KEYS.items():
        if key in table:
            values[key.replace("-", "_")] = check(table[key], key, fail)
    return ProjectConfig(source=source, root=os.path.dirname(os.path.abspath(source)),
                         **values)


def _codes(value: Any, key: str, fail) -> tuple[str, ...]:
    strings = _strings(value, key, fail)
    for code in strings:
        error = code_error(code)
        if error is not None:
            raise fail(key, error)
    return strings


def _strings(value: Any, key: str, fail) -> tuple[str, ...]:
    if isinstance(value, str):  # flake8 users write "JXL101,JXL102"
        value = [v for v in value.replace(",", " ").split()]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise fail(key, f"must be a list of strings, not {_kind(value)}")
    return tuple(v.strip() for v in value if v.strip())


def _per_file(value: Any, key: str, fail) -> tuple[tuple[str, tuple[str, ...]], ...]:
    if not isinstance(value, dict):
        raise fail(key, f"must be a table of glob = [codes], not {_kind(value)}")
    return tuple((glob, _codes(codes, f"{key}.{glob!r}", fail)) for glob, codes in value.items())


def _flax_api(value: Any, key: str, fail) -> str:
    if value not in FLAX_API_CHOICES:
        raise fail(key, f"must be one of {', '.join(map(repr, FLAX_API_CHOICES))}, "
                        f"not {value!r}")
    return value


def _bool(value: Any, key: str, fail) -> bool:
    if not isinstance(value, bool):
        raise fail(key, f"must be true or false, not {_kind(value)}")
    return value


def _kind(value: Any) -> str:
    return {dict: "a table", list: "a list", str: "a string", bool: "a boolean",
            int: "an integer", float: "a number"}.get(type(value), type(value).__name__)


def _inside(value: Any, key: str, fail) -> str:
    """A directory below this pyproject.toml's: the table comes with the code under review, so
    it may not send jaxloop-fix's writes anywhere else."""
    if not isinstance(value, str) or not value.strip():
        raise fail(key, f"must be a directory name, not {_kind(value)}")
    parts = value.replace("\\", "/").split("/")
    if value.startswith(("/", "~")) or os.path.isabs(value) or ".." in parts or ":" in value:
        raise fail(key, f"{value!r} must be a relative path inside the project (no '..')")
    inside = "/".join(p for p in parts if p not in ("", "."))
    if not inside:
        raise fail(key, f"{value!r} must name a directory below the project's")
    return inside


def _globs(value: Any, key: str, fail) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise fail(key, f"must be a list of strings, not {_kind(value)}")
    return tuple(v.strip() for v in value if v.strip())


_KEYS = {
    "select": _codes,
    "ignore": _codes,
    "per-file-ignores": _per_file,
    "extra-jit-decorators": _strings,
    "flax-api": _flax_api,
    "unsafe-fixes": _bool,
    "exclude": _globs,
    "extend-exclude": _globs,
    "force-exclude": _bool,
    "cache-dir": _inside,
}
