"""Where a run's cache lives, and who chose the place (see ``__init__``)."""
from __future__ import annotations

import hashlib
import os
import re
import sys
from dataclasses import dataclass
from typing import Optional

ENV_DIR = "JAXLOOP_CACHE_DIR"


def user_cache_base() -> str:
    """``$XDG_CACHE_HOME/jaxloop-lint`` (an absolute ``XDG_CACHE_HOME`` only, as the spec says),
    else ``~/.cache/jaxloop-lint`` (``%LOCALAPPDATA%`` on Windows)."""
    xdg = os.environ.get("XDG_CACHE_HOME", "")
    if os.path.isabs(xdg):
        base = xdg
    elif sys.platform == "win32" and os.environ.get("LOCALAPPDATA"):
        base = os.environ["LOCALAPPDATA"]
    else:
        base = os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "jaxloop-lint")


def project_root(start: str = ".") -> str:
    """The nearest directory at or above ``start`` that holds ``.git``; else ``start``."""
    from ..gitignore import repository_root

    here = os.path.realpath(start)
    return repository_root(here) or here


@dataclass(frozen=True)
class Location:
    """Where a run's cache is, and who chose it."""

    path: str                      # as shown to the user
    anchor: Optional[str] = None   # set: chosen by a pyproject.toml, path is inside anchor
    shared: Optional[str] = None   # set: the default place; siblings are other projects'


def default_location(start: str = ".") -> Location:
    root = project_root(start)
    name = re.sub(r"[^A-Za-z0-9._-]", "_", os.path.basename(root))[:40] or "root"
    digest = hashlib.sha256(os.fsencode(root)).hexdigest()[:16]
    projects = os.path.join(user_cache_base(), "projects")
    return Location(os.path.join(projects, f"{name}-{digest}"), shared=projects)


def locate(cli_dir: Optional[str], config_dir: Optional[str], config_root: str) -> Location:
    """``--cache-dir``, else ``$JAXLOOP_CACHE_DIR``, else ``cache-dir`` of the current
    directory's ``[tool.jaxloop]`` (below ``config_root``), else the user's cache directory."""
    chosen = cli_dir or os.environ.get(ENV_DIR)
    if chosen:
        return Location(chosen)
    if config_dir:
        return Location(os.path.join(config_root, config_dir), anchor=config_root)
    return default_location()
