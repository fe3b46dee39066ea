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


def os_reason(exc: OSError) -> str:
    return (exc.strerror or str(exc)).lower()


def read_source(path: str) -> Source:
    """Read a file for fixing. Raises ``FileError``."""
    try:
        with open(path, "rb") as fh:
            st = os.fstat(fh.fileno())
            if stat.S_ISDIR(st.st_mode):
                raise FileError("is a directory")
            if not stat.S_ISREG(st.st_mode):
                raise FileError("not a regular file")
            data = fh.read()
    except FileNotFoundError:
        raise FileError("no such file or directory") from None
    except IsADirectoryError:
        raise FileError("is a directory") from None
    except PermissionError:
        raise FileError("cannot read: permission denied") from None
    except OSError as exc:
        raise FileError(f"cannot read: {os_reason(exc)}") from None
    return from_bytes(path, data, st)


def _unchanged_since_read(src: Source, target: str) -> bool:
    try:
        st = os.stat(target)
        with open(target, "rb") as fh:
            data = fh.read()
    except OSError:
        return False
    assert src.st is not None
    return (st.st_mtime_ns, st.st_size) == (src.st.st_mtime_ns, src.st.st_size) \
        and data == src.data


def write_source(src: Source, fixed: str) -> None:
    """Replace the file atomically with ``fixed``. Raises ``FileError``."""
    import tempfile

    payload = src.encode(fixed)
    target = os.path.realpath(src.path)  # replace a symlink's target, not the link
    if not os.path.lexists(target):
        raise FileError("changed while fixing; not written")  # deleted since it was read
    if not os.access(target, os.W_OK):
        raise FileError("file is not writable; not written")
    directory = os.path.dirname(target) or "."
    try:
        fd, tmp = tempfile.mkstemp(dir=directory, prefix=f".{os.path.basename(target)}.",
                                   suffix=".jaxloop-fix.tmp")
    except OSError as exc:
        raise FileError(f"cannot write: {os_reason(exc)}") from None
    replaced = False
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(payload)
            fh.flush()
            os.fsync(fh.fileno())
        assert src.st is not None
        os.chmod(tmp, stat.S_IMODE(src.st.st_mode))
        if not _unchanged_since_read(src, target):
            raise FileError("changed while fixing; not written")
        os.replace(tmp, target)
        replaced = True
    except OSError as exc:
        raise FileError(f"cannot write: {os_reason(exc)}") from None
    finally:  # also on KeyboardInterrupt: no temp file is left behind
        if not replaced:
            remove_quietly(tmp)


def remove_quietly(path: str) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass
