"""The open cache: look up and store one file's result (main process only)."""
from __future__ import annotations

import hashlib
import hmac
import json
import os
import time
from typing import Optional

from jaxloop_lint.files import ReadError, open_regular, read_fd

from ..runner import FileResult, Options
from .dirs import ENTRY_NAME, SUB_NAME, SUPPORTED, Unusable, adopt, new_file, open_dir, step
from .entries import dump, load
from .keys import Keyer, code_fingerprint
from .prune import prune_if_due
from .secret import user_secret
from .where import Location

MAX_ENTRY_BYTES = 8 * 1024 * 1024    # one file's result (a diff of a 5 MB module fits)
TOUCH_AFTER = 24 * 3600              # a hit refreshes its entry's time when older than this
MAGIC = b"jaxloop-cache 2\n"
MAC_BYTES = 32


class Cache:
    """An open cache directory (main process only: it holds file descriptors)."""

    def __init__(self, location: Location, fd: int, entries: int, secret: bytes,
                 keyer: Keyer) -> None:
        self.location = location
        self.directory = location.path
        self.keyer = keyer
        self._fd = fd
        self._entries = entries
        self._secret = secret
        self._subs: dict[str, Optional[int]] = {}
        self.written = 0

    @classmethod
    def open(cls, where, warn=None) -> Optional["Cache"]:
        """The cache at ``where`` (a ``Location`` or a path the user chose), or ``None`` if it
        cannot be used; ``warn(reason)`` hears why when it is not a plain OS error."""
        location = where if isinstance(where, Location) else Location(str(where))
        if not SUPPORTED:
            return None  # no directory file descriptors (Windows): no cache rather than a weak one
        try:
            secret = user_secret()
            fd, parent, _, created = open_dir(location, create=True)
            os.close(parent)
            try:
                adopt(fd, created, location.path)
                entries, _ = step(fd, "entries", create=True)
            except BaseException:
                os.close(fd)
                raise
            keyer = Keyer(f"{code_fingerprint()}\0".encode())
        except Unusable as exc:
            if warn is not None:
                warn(f"cache not used: {exc}")
            return None
        except OSError:
            return None  # a read-only or full disk, no home directory: only speed is lost
        return cls(location, fd, entries, secret, keyer)

    def key(self, path: str, data: bytes, options: Options) -> str:
        return self.keyer.key(path, data, options)

    def _entry(self, key: str) -> str:
        """Where ``key``'s entry lives (for tests and people; access goes through fds)."""
        return os.path.join(self.directory, "entries", key[:2], key[2:])

    def _sub(self, prefix: str, create: bool) -> Optional[int]:
        fd = self._subs.get(prefix)
        if fd is None and (create or prefix not in self._subs):
            try:
                fd, _ = step(self._entries, prefix, create)
            except (OSError, Unusable):
                fd = None
            if fd is not None or not create:
                self._subs[prefix] = fd
        return fd

    def _mac(self, key: str, payload: bytes) -> bytes:
        return hmac.new(self._secret, MAGIC + key.encode() + b"\0" + payload,
                        hashlib.sha256).digest()

    def get(self, key: str, path: str) -> Optional[FileResult]:
        """The stored result, or ``None``: missing, forged, damaged, too big, not a file."""
        if not _valid_key(key):
            return None
        sub = self._sub(key[:2], create=False)
        if sub is None:
            return None
        try:
            fd, st = open_regular(key[2:], follow=False, dir_fd=sub)
        except ReadError:
            return None
        try:
            data = read_fd(fd, MAX_ENTRY_BYTES, st)
            if time.time() - st.st_mtime > TOUCH_AFTER:
                os.utime(fd)  # recently used: pruning keeps it
        except (ReadError, OSError):
            return None
        finally:
            os.close(fd)
        head = len(MAGIC) + MAC_BYTES
        if not data.startswith(MAGIC) or len(data) < head:
            return None
        payload = data[head:]
        if not hmac.compare_digest(data[len(MAGIC):head], self._mac(key, payload)):
            return None
        try:
            return load(json.loads(payload), path)
        except (ValueError, TypeError, KeyError, IndexError, RecursionError):
            return None

    def put(self, key: str, result: FileResult) -> None:
        if not _valid_key(key):
            return
        payload = json.dumps(dump(result)).encode()
        data = MAGIC + self._mac(key, payload) + payload
        if len(data) > MAX_ENTRY_BYTES:
            return
        sub = self._sub(key[:2], create=True)
        if sub is None:
            return
        tmp = f".tmp-{os.urandom(8).hex()}"  # random: nobody can plant a link there
        try:
            new_file(sub, tmp, data, 0o600)
            os.replace(tmp, key[2:], src_dir_fd=sub, dst_dir_fd=sub)
            self.written += len(data)
        except OSError:  # a full disk, or a directory where the entry goes: only speed is lost
            try:
                os.unlink(tmp, dir_fd=sub)
            except OSError:
                pass

    def close(self) -> None:
        """Prune when due, and release the directory."""
        try:
            prune_if_due(self._fd, self._entries, self.written, self.location)
        except (OSError, Unusable):
            pass
        for fd in [self._entries, self._fd, *(f for f in self._subs.values() if f is not None)]:
            try:
                os.close(fd)
            except OSError:
                pass
        self._subs.clear()


def _valid_key(key: str) -> bool:
    return len(key) == 64 and SUB_NAME.fullmatch(key[:2]) is not None \
        and ENTRY_NAME.fullmatch(key[2:]) is not None
