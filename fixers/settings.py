"""What applies to one file: its ``[tool.jaxloop]`` merged with the command line.

Precedence (documented in docs/configuration.md): ``--select`` and ``--ignore`` replace the
configured ``select`` / ``ignore``; ``per-file-ignores`` always apply; ``--extra-jit-decorators``
adds to the configured ones; ``--unsafe-fixes`` or ``unsafe-fixes = true`` turn unsafe fixes on.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, replace
from typing import Collection, Sequence

from jaxloop_lint import Config
from jaxloop_lint.project_config import ProjectConfig, for_child, for_path


@dataclass(frozen=True)
class FileSettings:
    config: Config
    select: tuple[str, ...]
    ignore: tuple[str, ...]
    unsafe: bool


def merge(project: ProjectConfig, path: str, *, select: Sequence[str] = (),
          ignore: Sequence[str] = (), extra_jit_decorators: Sequence[str] = (),
          unsafe: bool = False) -> FileSettings:
    """``path``'s settings: the project's, overridden by what a front end was told directly."""
    base = replace(project, ignore=tuple(ignore) or project.ignore)
    decorators = tuple(dict.fromkeys((*project.extra_jit_decorators, *extra_jit_decorators)))
    return FileSettings(
        config=Config(extra_jit_decorators=decorators, flax_api=project.flax_api),
        select=tuple(select) or project.select,
        ignore=base.ignores_for(path),
        unsafe=unsafe or project.unsafe_fixes)


class Resolver:
    """Settings per file for one run; ``[tool.jaxloop]`` is looked up once per directory."""

    def __init__(self, select: Sequence[str], ignore: Sequence[str],
                 extra_jit_decorators: Sequence[str], unsafe: bool) -> None:
        self.overrides = dict(select=select, ignore=ignore,
                              extra_jit_decorators=extra_jit_decorators, unsafe=unsafe)
        self._projects: dict[str, ProjectConfig] = {}

    def __call__(self, path: str, lookup_from: str = "") -> FileSettings:
        """Raises ``ConfigError``. ``lookup_from``: where to start looking (stdin: the cwd)."""
        start = os.path.abspath(lookup_from or path)
        directory = start if os.path.isdir(start) else os.path.dirname(start)
        return merge(self.project(directory), path, **self.overrides)

    def project(self, directory: str) -> ProjectConfig:
        """The ``[tool.jaxloop]`` for an absolute ``directory``. Raises ``ConfigError``."""
        if directory not in self._projects:
            self._projects[directory] = for_path(directory)
        return self._projects[directory]

    def child(self, directory: str, names: Collection[str], parent: str) -> ProjectConfig:
        """``project(directory)`` when a walk knows its entries and has seen its parent."""
        if directory not in self._projects:
            self._projects[directory] = for_child(directory, names, self.project(parent))
        return self._projects[directory]
