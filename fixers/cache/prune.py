"""Keeping the cache bounded, and ``jaxloop-fix --clean``."""
from __future__ import annotations

import errno
import os
import stat
import time

from .dirs import (DIR_FLAGS, ENTRY_NAME, SUB_NAME, Unusable, is_ours, new_file, open_dir,
                   step, unlink_quietly)
from .where import Location

MAX_TOTAL_BYTES = 512 * 1024 * 1024  # past this, the least recently used entries go
MAX_AGE_DAYS = 30                    # entries unused this long go
PRUNE_EVERY = 24 * 3600              # seconds between two prunings


def prune_if_due(fd: int, entries: int, written: int, location: Location) -> None:
    now = time.time()
    try:
        last = os.stat("last-prune", dir_fd=fd, follow_symlinks=False).st_mtime
    except FileNotFoundError:
        last = 0.0
    if now - last < PRUNE_EVERY and written < MAX_TOTAL_BYTES // 8:
        return
    if not new_file(fd, "last-prune", b""):
        os.utime("last-prune", dir_fd=fd, follow_symlinks=False)
    prune(entries, now)
    if location.shared is not None:
        _prune_projects(location, now)


def prune(entries: int, now: float, max_total: int = MAX_TOTAL_BYTES,
          max_age: float = MAX_AGE_DAYS * 86400) -> None:
    """Remove entries unused for ``max_age`` seconds, then the least recently used ones until
    the rest take no more than three quarters of ``max_total``. Anything else found among
    the entries (a link, a FIFO, a stale temporary file) is removed too."""
    kept: list[tuple[float, int, int, str]] = []
    subs = []
    try:
        for sub_entry in os.scandir(entries):
            if not SUB_NAME.fullmatch(sub_entry.name):
                continue
            try:
                sub = os.open(sub_entry.name, DIR_FLAGS, dir_fd=entries)
            except OSError:
                continue
            subs.append(sub)
            for e in os.scandir(sub):
                try:
                    st = e.stat(follow_symlinks=False)
                except OSError:
                    continue
                stale_tmp = e.name.startswith(".tmp-") and now - st.st_mtime > 3600
                if ENTRY_NAME.fullmatch(e.name) and stat.S_ISREG(st.st_mode):
                    if now - st.st_mtime > max_age:
                        unlink_quietly(sub, e.name)
                    else:
                        kept.append((st.st_mtime, st.st_size, sub, e.name))
                elif stale_tmp or not (e.name.startswith(".tmp-") or stat.S_ISDIR(st.st_mode)):
                    unlink_quietly(sub, e.name)
        total = sum(size for _, size, _, _ in kept)
        if total > max_total:
            for _, size, sub, name in sorted(kept):
                if total <= max_total * 3 // 4:
                    break
                unlink_quietly(sub, name)
                total -= size
    finally:
        for sub in subs:
            os.close(sub)


def _prune_projects(location: Location, now: float) -> None:
    """Other projects' caches in the user's directory: removed whole when unused that long."""
    assert location.shared is not None
    try:
        projects = os.open(location.shared, DIR_FLAGS)
    except OSError:
        return
    try:
        for e in os.scandir(projects):
            if os.path.join(location.shared, e.name) == location.path:
                continue
            try:
                fd, _ = step(projects, e.name, create=False)
                try:
                    used = os.stat("last-prune", dir_fd=fd, follow_symlinks=False).st_mtime
                finally:
                    os.close(fd)
                if now - used > MAX_AGE_DAYS * 86400:
                    _remove_cache(projects, e.name)
            except (OSError, Unusable):
                continue
    finally:
        os.close(projects)


def _remove_cache(parent: int, name: str) -> bool:
    """Remove the cache ``name`` in ``parent``: only what a cache holds, never through a link.
    A directory that is not a cache is left alone (raises ``Unusable``). False: the directory
    itself stays, it holds other files."""
    fd, _ = step(parent, name, create=False)
    try:
        if not is_ours(fd) and os.listdir(fd):
            raise Unusable("not a jaxloop-fix cache (no CACHEDIR.TAG of its own); not removed")
        for e in os.scandir(fd):
            ours = e.name == "entries" or SUB_NAME.fullmatch(e.name)  # (a version 1 cache: ab/)
            if e.is_dir(follow_symlinks=False) and ours:
                _clear_dir(fd, e.name, levels=2 if e.name == "entries" else 1)
            elif e.name in (".gitignore", "CACHEDIR.TAG", "last-prune") or e.name.startswith(
                    ".tmp-"):
                unlink_quietly(fd, e.name)
    finally:
        os.close(fd)
    try:
        os.rmdir(name, dir_fd=parent)
    except OSError as exc:
        if exc.errno in (errno.ENOTEMPTY, errno.EEXIST):
            return False
        raise
    return True


def _clear_dir(parent: int, name: str, levels: int) -> None:
    try:
        fd, _ = step(parent, name, create=False)
    except (OSError, Unusable):
        unlink_quietly(parent, name)
        return
    try:
        for e in os.scandir(fd):
            if levels > 1 and e.is_dir(follow_symlinks=False):
                _clear_dir(fd, e.name, levels - 1)
            elif not e.is_dir(follow_symlinks=False):
                unlink_quietly(fd, e.name)  # entries, temporary files (a version 1 cache: *.json)
    finally:
        os.close(fd)
    try:
        os.rmdir(name, dir_fd=parent)
    except OSError:
        pass


def clean(location: Location) -> str:
    """``jaxloop-fix --clean``: remove the cache directory. Returns what was done; raises
    ``Unusable`` (a directory that is not a cache) or ``OSError``."""
    try:
        fd, parent, name, _ = open_dir(location, create=False)
    except FileNotFoundError:
        return f"no cache at {location.path}"
    os.close(fd)
    try:
        whole = _remove_cache(parent, name)
    finally:
        os.close(parent)
    if not whole:
        return f"removed the cache in {location.path} (the directory stays: it holds other files)"
    return f"removed {location.path}"
