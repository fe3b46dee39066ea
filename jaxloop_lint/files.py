"""Reading a file whose name and type come from untrusted input (a pull request's tree).

``open()`` on a FIFO blocks until a writer comes, and reading ``/dev/zero`` (a committed symlink
is enough) never ends. So every read here opens without blocking (``O_NONBLOCK``), checks with
``fstat`` that it holds a regular file, and reads no more than a cap, also when the file grows
while it is read. Each failure is a ``ReadError`` whose ``str()`` is one lower-case reason.
"""
from __future__ import annotations

import errno
import os
import stat
from typing import Optional

O_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_O_READ = (os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
           | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_BINARY", 0))
_MB = 1024 * 1024


class ReadError(Exception):
    """``str()`` is why the file was not read, e.g. ``not a regular file (a FIFO)``."""


def kind(mode: int) -> str:
    """What a non-regular file is, for the reason shown to the user."""
    for test, name in ((stat.S_ISFIFO, "a FIFO"), (stat.S_ISCHR, "a character device"),
                       (stat.S_ISBLK, "a block device"), (stat.S_ISSOCK, "a socket"),
                       (stat.S_ISLNK, "a symbolic link"), (stat.S_ISDIR, "a directory")):
        if test(mode):
            return name
    return "not a file"


def os_reason(exc: OSError) -> str:
    return (exc.strerror or str(exc)).lower()


def size_text(n: int) -> str:
    return f"{n / _MB:.1f} MB" if n >= _MB else f"{n} bytes"


def open_regular(path: str, *, follow: bool = True,
                 dir_fd: Optional[int] = None) -> tuple[int, os.stat_result]:
    """An fd on ``path`` opened for reading without blocking, and its ``fstat``: a regular file,
    or ``ReadError``. ``follow=False`` refuses a symlink as the last component."""
    flags = _O_READ | (0 if follow else O_NOFOLLOW)
    try:
        fd = os.open(path, flags, dir_fd=dir_fd)
    except FileNotFoundError:
        raise ReadError("no such file or directory") from None
    except IsADirectoryError:
        raise ReadError("is a directory") from None
    except PermissionError:
        raise ReadError("cannot read: permission denied") from None
    except OSError as exc:
        if exc.errno in (errno.ENXIO, errno.EOPNOTSUPP):  # a socket: open() refuses it
            raise ReadError("not a regular file (a socket or device)") from None
        if exc.errno == errno.ELOOP and not follow:
            raise ReadError("is a symbolic link; not followed") from None
        raise ReadError(f"cannot read: {os_reason(exc)}") from None
    try:
        st = os.fstat(fd)
    except OSError as exc:
        os.close(fd)
        raise ReadError(f"cannot read: {os_reason(exc)}") from None
    if stat.S_ISDIR(st.st_mode):
        os.close(fd)
        raise ReadError("is a directory")
    if not stat.S_ISREG(st.st_mode):
        os.close(fd)
        raise ReadError(f"not a regular file ({kind(st.st_mode)})")
    return fd, st


def read_fd(fd: int, limit: int, st: os.stat_result) -> bytes:
    """At most ``limit`` bytes of an open regular file, or ``ReadError`` if it holds more."""
    if st.st_size > limit:
        raise ReadError(f"too large ({size_text(st.st_size)}; the limit is {size_text(limit)})")
    chunks, total = [], 0
    try:
        while True:
            chunk = os.read(fd, min(limit + 1 - total, 1 << 20))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
            if total > limit:  # it grew after the fstat
                raise ReadError(f"too large (over {size_text(limit)})")
    except OSError as exc:
        raise ReadError(f"cannot read: {os_reason(exc)}") from None
    return b"".join(chunks)


def read_regular(path: str, limit: int, *, follow: bool = True,
                 dir_fd: Optional[int] = None) -> tuple[bytes, os.stat_result]:
    """The bytes of a regular file (at most ``limit``) and its ``fstat``; else ``ReadError``."""
    fd, st = open_regular(path, follow=follow, dir_fd=dir_fd)
    try:
        return read_fd(fd, limit, st), st
    finally:
        os.close(fd)
