"""Reading and writing a file with its own encoding, BOM, line endings and permission bits."""
from __future__ import annotations

import codecs
import difflib
import io
import os
import stat
import tokenize
from dataclasses import dataclass
from typing import Optional

from jaxloop_lint.files import (O_NOFOLLOW, ReadError, open_regular, os_reason, read_fd,
                                read_regular)


class FileError(Exception):
    """A file could not be processed; ``str()`` is the reason shown after ``path: error:``."""


@dataclass
class Source:
    path: str              # as displayed (and as given to the core)
    data: bytes            # the exact bytes read
    text: str              # decoded, BOM stripped, line endings normalised to "\n" if CRLF
    encoding: str
    bom: bool
    crlf: bool
    st: Optional[os.stat_result] = None  # None for stdin
    # A CRLF file with some LF lines: each line's own ending, to give back to the lines a fix
    # leaves alone (None when every line ends alike).
    endings: Optional[list[str]] = None

    def original_text(self) -> str:
        """The decoded text with the file's own line endings (for diffs)."""
        return self.restore_newlines(self.text)

    def restore_newlines(self, text: str) -> str:
        if not self.crlf:
            return text
        if self.endings is None:
            return text.replace("\n", "\r\n")
        return _with_endings(self.text, self.endings, text)

    def encode(self, text: str) -> bytes:
        """``text`` (with "\\n" line endings) as this file's bytes."""
        try:
            body = self.restore_newlines(text).encode(self.encoding)
        except UnicodeEncodeError as exc:
            raise FileError(f"the fixed text cannot be encoded as {self.encoding} ({exc.reason}); "
                            "not written") from None
        return (codecs.BOM_UTF8 if self.bom else b"") + body


def from_bytes(path: str, data: bytes, st: Optional[os.stat_result] = None) -> Source:
    from jaxloop_lint.core import SourceError, decode  # the analysis loads only when needed

    try:
        text = decode(data)
    except SourceError as exc:
        raise FileError(str(exc)) from None
    # decode() succeeded, so detect_encoding does too; it only reads the first two lines.
    encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
    bom = data.startswith(codecs.BOM_UTF8)
    if encoding == "utf-8-sig":
        encoding = "utf-8"
    first = text.find("\n")
    crlf = first > 0 and text[first - 1] == "\r"
    endings = None
    if crlf:
        if text.count("\n") != text.count("\r\n"):  # mixed: remember each line's ending
            endings = ["\r\n" if line.endswith("\r") else "\n"
                       for line in text.split("\n")[:-1]]
        text = text.replace("\r\n", "\n")
    return Source(path, data, text, encoding, bom, crlf, st, endings)


def _with_endings(old: str, endings: list[str], new: str) -> str:
    """``new`` (a fix of ``old``, both with \\n endings) with the original endings back: a line
    the fix left alone keeps its own, a rewritten line takes the one of the line it replaces
    (CRLF, the file's first, for lines past those)."""
    before, after = old.split("\n"), new.split("\n")
    out = []
    matcher = difflib.SequenceMatcher(None, before, after, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        for k in range(j2 - j1):
            i = i1 + k if tag == "equal" else min(i1 + k, i2 - 1) if i2 > i1 else i1 - 1
            out.append(after[j1 + k])
            out.append(endings[i] if 0 <= i < len(endings) else "\r\n")
    return "".join(out[:-1])  # the last piece follows the last line ending: it has none


# A source file larger than this is refused: no real module comes near it, and analysing one
# would take minutes (a committed link to /dev/zero is caught earlier: not a regular file).
MAX_SOURCE_BYTES = 16 * 1024 * 1024


def read_bytes(path: str) -> tuple[bytes, os.stat_result]:
    """A source file's bytes and ``fstat``, read without blocking and with a size cap: FIFOs,
    devices, sockets and directories are refused before anything is read. Raises
    ``FileError``."""
    try:
        return read_regular(path, MAX_SOURCE_BYTES)
    except ReadError as exc:
        raise FileError(str(exc)) from None


def read_source(path: str) -> Source:
    """Read a file for fixing. Raises ``FileError``."""
    data, st = read_bytes(path)
    return from_bytes(path, data, st)


class _KeepInode(Exception):
    """A new file could not take the old one's owner or group: write through the old inode."""


def _same_file(src: Source, fd: int) -> bool:
    """``fd`` is the inode ``src`` was read from, with the bytes it had then."""
    assert src.st is not None
    try:
        st = os.fstat(fd)
        if (st.st_dev, st.st_ino, st.st_mtime_ns, st.st_size) != (
                src.st.st_dev, src.st.st_ino, src.st.st_mtime_ns, src.st.st_size):
            return False
        os.lseek(fd, 0, os.SEEK_SET)
        return read_fd(fd, MAX_SOURCE_BYTES, st) == src.data
    except (OSError, ReadError):
        return False


def _unchanged_since_read(src: Source, target: str) -> bool:
    try:
        fd, _ = open_regular(target, follow=False)
    except ReadError:
        return False  # deleted, or replaced by a directory or a link
    try:
        return _same_file(src, fd)
    finally:
        os.close(fd)


def write_source(src: Source, fixed: str) -> None:
    """Write ``fixed`` over the file. Raises ``FileError``.

    Normally atomic: a new file with the old one's mode, owner and group replaces it. A file
    with several hard links, or whose owner or group a new file cannot take (another user's
    file this user may write), is written in place through its own inode instead, so every link
    sees the fix and the owner stays; that write is not atomic."""
    payload = src.encode(fixed)
    target = os.path.realpath(src.path)  # replace a symlink's target, not the link
    if not os.path.lexists(target):
        raise FileError("changed while fixing; not written")  # deleted since it was read
    if not os.access(target, os.W_OK):
        raise FileError("file is not writable; not written")
    assert src.st is not None
    if src.st.st_nlink > 1:
        _write_in_place(src, target, payload)
        return
    try:
        _replace(src, target, payload)
    except _KeepInode:
        _write_in_place(src, target, payload)


def _replace(src: Source, target: str, payload: bytes) -> None:
    import tempfile

    assert src.st is not None
    directory = os.path.dirname(target) or "."
    try:  # O_EXCL and a random name: a planted link is never followed
        fd, tmp = tempfile.mkstemp(dir=directory, prefix=f".{os.path.basename(target)}.",
                                   suffix=".jaxloop-fix.tmp")
    except OSError as exc:
        raise FileError(f"cannot write: {os_reason(exc)}") from None
    replaced = False
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(payload)
            fh.flush()
            mine = os.fstat(fh.fileno())
            if (mine.st_uid, mine.st_gid) != (src.st.st_uid, src.st.st_gid):
                try:
                    os.fchown(fh.fileno(), src.st.st_uid, src.st.st_gid)
                except PermissionError:
                    raise _KeepInode from None
            os.fchmod(fh.fileno(), stat.S_IMODE(src.st.st_mode))  # after chown, which clears
            os.fsync(fh.fileno())                                # set-user-ID bits
        if not _unchanged_since_read(src, target):
            raise FileError("changed while fixing; not written")
        os.replace(tmp, target)
        replaced = True
    except OSError as exc:
        raise FileError(f"cannot write: {os_reason(exc)}") from None
    finally:  # also on KeyboardInterrupt: no temp file is left behind
        if not replaced:
            remove_quietly(tmp)


def _write_in_place(src: Source, target: str, payload: bytes) -> None:
    flags = os.O_RDWR | O_NOFOLLOW | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(target, flags)
    except OSError:
        raise FileError("changed while fixing; not written") from None
    try:
        if not _same_file(src, fd):
            raise FileError("changed while fixing; not written")
        view, done = memoryview(payload), 0
        while done < len(payload):
            done += os.pwrite(fd, view[done:], done)
        os.ftruncate(fd, len(payload))
        os.fsync(fd)
    except OSError as exc:
        raise FileError(f"cannot write: {os_reason(exc)}") from None
    finally:
        os.close(fd)


def remove_quietly(path: str) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass
