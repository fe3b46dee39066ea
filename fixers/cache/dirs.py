"""The cache directory and its files, opened without following links.

Below the current or the project directory every component is opened with ``O_NOFOLLOW``, and
every file in the cache through its directory's file descriptor: new files with ``O_CREAT |
O_EXCL | O_NOFOLLOW``, existing ones with ``O_NOFOLLOW | O_NONBLOCK`` (``jaxloop_lint.files``).
"""
from __future__ import annotations

import errno
import os
import re

from jaxloop_lint.files import O_NOFOLLOW, ReadError, open_regular, read_fd

from .where import Location

TAG = (b"Signature: 8a477f597d28d172789f06886806bc55\n"
       b"# This is a jaxloop-fix cache directory.\n"
       b"# For information about cache directory tags see https://bford.info/cachedir/\n")
TAG_LINE = b"# This is a jaxloop-fix cache directory."
GITIGNORE = b"# Created by jaxloop-fix: the cache is never committed.\n*\n"
ENTRY_NAME = re.compile(r"[0-9a-f]{62}")  # entries/<2 hex>/<62 hex>: a key
SUB_NAME = re.compile(r"[0-9a-f]{2}")
DIR_FLAGS = (os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | O_NOFOLLOW
             | getattr(os, "O_CLOEXEC", 0))
NEW_FILE = (os.O_WRONLY | os.O_CREAT | os.O_EXCL | O_NOFOLLOW | getattr(os, "O_CLOEXEC", 0)
            | getattr(os, "O_BINARY", 0))
# Without directory file descriptors (Windows) there is no cache rather than one that follows
# links.
SUPPORTED = (os.open in os.supports_dir_fd and os.stat in os.supports_dir_fd
             and os.scandir in os.supports_fd and bool(O_NOFOLLOW))


class Unusable(Exception):
    """``str()`` says why the cache directory is not used."""


def step(parent: int, name: str, create: bool) -> tuple[int, bool]:
    """``name`` in the directory ``parent``, as an fd, never through a symlink; and whether it
    was created now."""
    for _ in range(2):
        try:
            return os.open(name, DIR_FLAGS, dir_fd=parent), False
        except FileNotFoundError:
            if not create:
                raise
        except OSError as exc:
            if exc.errno in (errno.ELOOP, errno.ENOTDIR, errno.EMLINK):
                raise Unusable(f"{name!r} is a symbolic link or not a directory") from None
            raise
        try:
            os.mkdir(name, 0o700, dir_fd=parent)
        except FileExistsError:
            continue  # made meanwhile by a concurrent run
        return os.open(name, DIR_FLAGS, dir_fd=parent), True
    raise Unusable(f"{name!r} keeps changing")


def _components(path: str) -> list[str]:
    return [p for p in path.replace(os.sep, "/").split("/") if p not in ("", ".")]


def open_dir(location: Location, create: bool) -> tuple[int, int, str, bool]:
    """The cache directory's fd, its parent's fd and name in it, and whether it was made now.

    Below the anchor (the pyproject.toml's directory) or the current directory, each component
    is opened with ``O_NOFOLLOW``: the tree may be a pull request's, with planted links. Above,
    the user's own absolute path is taken as it is."""
    if location.anchor is not None:
        start, rel = location.anchor, os.path.relpath(location.path, location.anchor)
    elif not os.path.isabs(location.path) and not os.path.normpath(
            location.path).startswith(".."):
        start, rel = ".", location.path
    else:
        start, rel = os.path.split(os.path.abspath(location.path))
        if create:
            os.makedirs(start, mode=0o700, exist_ok=True)
    parts = _components(rel)
    if not parts or ".." in parts:
        raise Unusable("not a directory below its project")
    fd = os.open(start, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | getattr(os, "O_CLOEXEC", 0))
    created = False
    try:
        for part in parts[:-1]:
            child, _ = step(fd, part, create)
            os.close(fd)
            fd = child
        final, created = step(fd, parts[-1], create)
    except BaseException:
        os.close(fd)
        raise
    return final, fd, parts[-1], created


def is_ours(fd: int) -> bool:
    """The directory holds our CACHEDIR.TAG (a regular file, not a link)."""
    try:
        tag_fd, st = open_regular("CACHEDIR.TAG", follow=False, dir_fd=fd)
    except ReadError:
        return False
    try:
        return TAG_LINE in read_fd(tag_fd, 4096, st)
    except ReadError:
        return False
    finally:
        os.close(tag_fd)


def new_file(fd: int, name: str, data: bytes, mode: int = 0o644) -> bool:
    """Create ``name`` in ``fd``; False if anything (even a dangling link) is there already."""
    try:
        out = os.open(name, NEW_FILE, mode, dir_fd=fd)
    except FileExistsError:
        return False
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(out, view):]
    finally:
        os.close(out)
    return True


def adopt(fd: int, created: bool, shown: str) -> None:
    """Make ``fd`` a cache directory, or refuse one that is something else. (Who owns it does
    not matter: entries are signed, and nothing in it is followed.)"""
    if not created and not is_ours(fd):
        if os.listdir(fd):
            raise Unusable(f"{shown} exists and is not a jaxloop-fix cache (no CACHEDIR.TAG of "
                           "its own); not used")
    new_file(fd, ".gitignore", GITIGNORE)
    new_file(fd, "CACHEDIR.TAG", TAG)


def unlink_quietly(fd: int, name: str) -> None:
    try:
        os.unlink(name, dir_fd=fd)
    except OSError:
        pass
