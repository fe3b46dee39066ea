"""Which files a run processes: the paths given, directories walked for ``*.py``."""
from __future__ import annotations

import os
from typing import Iterable, Sequence

from .sources import os_reason

STDIN = "-"
SKIP_DIRS = frozenset({".venv", "venv", "__pycache__", "build", "dist", "node_modules",
                       "site-packages"})


def collect(paths: Sequence[str], errors: list[tuple[str, str]]) -> list[str]:
    """Files to process, deduplicated and sorted; missing paths go to ``errors``."""
    files: set[str] = set()
    for path in paths:
        if path == STDIN:
            continue
        if os.path.isdir(path):
            files.update(walk(path, errors))
        elif os.path.lexists(path):
            files.add(os.path.normpath(path))
        else:
            errors.append((path, "no such file or directory"))
    return sorted(files)


def walk(top: str, errors: list[tuple[str, str]]) -> Iterable[str]:
    def onerror(exc: OSError) -> None:
        errors.append((exc.filename or top, f"cannot list directory: {os_reason(exc)}"))

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
