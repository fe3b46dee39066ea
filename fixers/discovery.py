"""Which files a run processes: the paths given, and directories walked for ``*.py``.

A walk leaves out, as Ruff and git users expect:

* what ``.gitignore`` excludes (``gitignore.py``);
* hidden directories (``.git``, ``.venv``, ``.jaxloop_cache``, ...), virtual environments (a
  directory holding ``pyvenv.cfg``) and caches (a directory holding ``CACHEDIR.TAG``);
* what matches ``exclude`` (default ``DEFAULT_EXCLUDE``; ``--exclude`` or the key in
  ``[tool.jaxloop]`` replace it) or ``extend-exclude`` (added, from both places). A pattern
  without ``/`` matches a file or directory name at any depth; one with ``/`` matches the path
  relative to its ``pyproject.toml``'s directory (the current directory for the command line);
* a symlink to a file outside the directory being walked: reported, not followed, unless
  ``--follow-external-symlinks``. Symlinked directories are never entered.

A file named on the command line is always processed (the user asked for it), unless
``--force-exclude`` / ``force-exclude = true``: then it is left out if a walk would leave it
out (pre-commit names every changed file). A named symlink that leaves the current directory is
refused like one found by a walk.
"""
from __future__ import annotations

import fnmatch
import os
from dataclasses import dataclass
from typing import Collection, Iterable, Optional, Protocol, Sequence

from jaxloop_lint.files import os_reason
from jaxloop_lint.project_config import ProjectConfig

from . import gitignore

STDIN = "-"
DEFAULT_EXCLUDE = ("__pycache__", "build", "dist", "node_modules", "site-packages", "venv",
                   "_build", "buck-out", "__pypackages__")
MARKERS = ("pyvenv.cfg", "CACHEDIR.TAG")  # a directory holding one is never walked
_GLOB = frozenset("*?[")


@dataclass(frozen=True)
class Filters:
    """The command line's part; each directory's ``[tool.jaxloop]`` adds its own."""

    exclude: Optional[tuple[str, ...]] = None   # --exclude: replaces exclude / the defaults
    extend_exclude: tuple[str, ...] = ()
    force_exclude: bool = False
    follow_external_symlinks: bool = False
    respect_gitignore: bool = True


class Projects(Protocol):
    """Each directory's ``[tool.jaxloop]`` (``settings.Resolver``); raise ``ConfigError``."""

    def project(self, directory: str) -> ProjectConfig: ...

    def child(self, directory: str, names: Collection[str], parent: str) -> ProjectConfig: ...


class _Defaults:
    def project(self, directory: str) -> ProjectConfig:
        return ProjectConfig()

    def child(self, directory: str, names: Collection[str], parent: str) -> ProjectConfig:
        return ProjectConfig()


def collect(paths: Sequence[str], errors: list[tuple[str, str]], filters: Filters = Filters(),
            projects: Projects = _Defaults()) -> list[str]:
    """Files to process, deduplicated and sorted; paths that fail go to ``errors``. Raises
    ``ConfigError`` from ``projects``."""
    return Discovery(filters, projects, errors).collect(paths)


def within(path: str, root: str) -> bool:
    """``path`` is ``root`` or below it (both absolute and normalised)."""
    return path == root or path.startswith(root.rstrip(os.sep) + os.sep)


class Discovery:
    def __init__(self, filters: Filters, projects: Projects,
                 errors: list[tuple[str, str]]) -> None:
        self.filters = filters
        self.projects = projects
        self.errors = errors
        self.cwd = os.getcwd()
        self._patterns: dict[Optional[str], tuple[frozenset, tuple[tuple[str, str], ...]]] = {}

    def collect(self, paths: Sequence[str]) -> list[str]:
        files: set[str] = set()
        for path in paths:
            if path == STDIN:
                continue
            if os.path.isdir(path):
                files.update(self.walk(path))
            elif os.path.lexists(path):
                if self._force_exclude(path) and self.excluded_explicitly(path):
                    continue
                if self._leaves(path, self.cwd):
                    continue
                files.add(os.path.normpath(path))
            else:
                self.errors.append((path, "no such file or directory"))
        return sorted(files)

    # -- excludes --------------------------------------------------------------------------

    def patterns(self, config: ProjectConfig) -> tuple[frozenset, tuple[tuple[str, str], ...]]:
        """The excludes that apply where ``config`` does: plain names, and (base, glob)
        pairs."""
        key = config.source
        if key not in self._patterns:
            root = config.root if config.source else self.cwd
            f = self.filters
            if f.exclude is not None:
                chosen = [(self.cwd, p) for p in f.exclude]
            elif config.exclude is not None:
                chosen = [(root, p) for p in config.exclude]
            else:
                chosen = [(root, p) for p in DEFAULT_EXCLUDE]
            chosen += [(root, p) for p in config.extend_exclude]
            chosen += [(self.cwd, p) for p in f.extend_exclude]
            normal = [(base, _normal(p)) for base, p in chosen if _normal(p)]
            names = frozenset(p for _, p in normal if "/" not in p and not _GLOB.intersection(p))
            self._patterns[key] = (names, tuple(bp for bp in normal if bp[1] not in names))
        return self._patterns[key]

    def _excluded(self, path: str, patterns: tuple[frozenset, tuple[tuple[str, str], ...]]
                  ) -> bool:
        name = os.path.basename(path)
        names, others = patterns
        if name in names:  # the usual case: a plain name such as "build"
            return True
        for base, pattern in others:
            if "/" not in pattern:
                if fnmatch.fnmatchcase(name, pattern):
                    return True
                continue
            if os.path.isabs(pattern):
                target = path
            elif within(path, base):
                target = os.path.relpath(path, base)
            else:
                continue
            if fnmatch.fnmatchcase(target.replace(os.sep, "/"), pattern):
                return True
        return False

    def _force_exclude(self, path: str) -> bool:
        return self.filters.force_exclude or self.projects.project(
            os.path.dirname(os.path.abspath(path))).force_exclude

    def excluded_explicitly(self, path: str) -> bool:
        """Whether a walk from the project's root would leave the named file out: it, or a
        directory above it (up to the root), is hidden, a virtualenv or cache, excluded or
        ignored by git."""
        target = os.path.abspath(path)
        directory = os.path.dirname(target)
        config = self.projects.project(directory)
        stop = (config.root if config.source else gitignore.repository_root(directory)
                or self.cwd)
        chain = [target]
        d = directory
        while within(d, stop) and d != stop:
            chain.append(d)
            d = os.path.dirname(d)
        patterns = self.patterns(config)
        for p in chain:
            is_dir = p != target
            if is_dir and (os.path.basename(p).startswith(".") or any(
                    os.path.lexists(os.path.join(p, m)) for m in MARKERS)):
                return True
            if self._excluded(p, patterns):
                return True
        if self.filters.respect_gitignore:
            stack = gitignore.above(directory)
            own = gitignore.load(directory)
            stack += [own] if own is not None else []
            return any(gitignore.ignored(stack, p, p != target) for p in chain)
        return False

    # -- symlinks --------------------------------------------------------------------------

    def _leaves(self, path: str, root: str) -> bool:
        """A symlink (or a path through one) below ``root`` whose target is outside it: an
        error, unless --follow-external-symlinks."""
        if self.filters.follow_external_symlinks:
            return False
        absolute = os.path.abspath(path)
        if not within(absolute, os.path.abspath(root)):
            return False  # named outside the tree: the user chose it
        real, real_root = os.path.realpath(path), os.path.realpath(root)
        if within(real, real_root) or not os.path.lexists(real):
            return False  # inside, or dangling / a loop: reading it says so
        self.errors.append((os.path.normpath(path),
                            f"symlink to {real}, outside {os.path.normpath(root)}; not followed "
                            "(--follow-external-symlinks follows it)"))
        return True

    # -- the walk --------------------------------------------------------------------------

    def walk(self, top: str) -> Iterable[str]:
        top = os.path.normpath(top)
        start = os.path.abspath(top)
        self.projects.project(start)
        stack = [(top, start, gitignore.above(top) if self.filters.respect_gitignore else [])]
        while stack:
            directory, parent, ignores = stack.pop()
            absolute_dir = os.path.abspath(directory)
            try:
                with os.scandir(directory) as it:
                    entries = sorted(it, key=lambda e: e.name)
            except OSError as exc:
                self.errors.append((directory, f"cannot list directory: {os_reason(exc)}"))
                continue
            names = {e.name for e in entries}
            if directory != top and any(m in names for m in MARKERS):
                continue  # a virtualenv or a cache (this tool's own included)
            if self.filters.respect_gitignore and ".gitignore" in names:
                own = gitignore.load(absolute_dir)
                ignores = ignores + [own] if own is not None else ignores
            patterns = self.patterns(self.projects.child(absolute_dir, names, parent))
            below = []
            for e in entries:
                path = os.path.join(directory, e.name)
                is_dir = e.is_dir(follow_symlinks=False)
                if is_dir and e.name.startswith("."):
                    continue
                if not is_dir and not e.name.endswith(".py"):
                    continue
                absolute = os.path.join(absolute_dir, e.name)
                if self._excluded(absolute, patterns) or (
                        ignores and gitignore.ignored(ignores, absolute, is_dir)):
                    continue
                if is_dir and not e.name.endswith(".py"):
                    below.append((path, absolute_dir, ignores))
                elif is_dir or not e.is_symlink() or not self._leaves(path, top):
                    yield os.path.normpath(path)  # a directory named *.py: reading says so
            stack.extend(reversed(below))


def _normal(pattern: str) -> str:
    pattern = pattern.strip().replace(os.sep, "/")
    while pattern.startswith("./"):
        pattern = pattern[2:]
    return pattern.rstrip("/")
