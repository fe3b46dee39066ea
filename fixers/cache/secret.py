"""This user's key for the cache's MACs: 32 random bytes, mode 0600, outside every project."""
from __future__ import annotations

import os
import stat

from jaxloop_lint.files import ReadError, open_regular, read_fd

from .dirs import Unusable, new_file, unlink_quietly
from .where import user_cache_base


def _check_owner(fd: int, what: str) -> None:
    """The secret's directory: this user's, and nobody else may swap files in it."""
    st = os.fstat(fd)
    if hasattr(os, "geteuid") and st.st_uid != os.geteuid():
        raise Unusable(f"{what} belongs to another user")
    if st.st_mode & 0o022 and not st.st_mode & stat.S_ISVTX:
        raise Unusable(f"{what} is writable by other users")


def user_secret() -> bytes:
    """This user's 32-byte key, made on first use. Raises ``Unusable`` or ``OSError``."""
    base = user_cache_base()
    os.makedirs(base, mode=0o700, exist_ok=True)
    fd = os.open(base, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | getattr(os, "O_CLOEXEC", 0))
    try:
        _check_owner(fd, base)
        for _ in range(2):
            try:
                key_fd, st = open_regular("secret", follow=False, dir_fd=fd)
            except ReadError as exc:
                if str(exc) != "no such file or directory":
                    raise Unusable(f"{base}/secret: {exc}") from None
                _make_secret(fd)
                continue
            try:
                if hasattr(os, "geteuid") and st.st_uid != os.geteuid():
                    raise Unusable(f"{base}/secret belongs to another user")
                if st.st_mode & 0o077:
                    raise Unusable(f"{base}/secret is readable by other users")
                data = read_fd(key_fd, 64, st)
            except ReadError as exc:
                raise Unusable(f"{base}/secret: {exc}") from None
            finally:
                os.close(key_fd)
            if len(data) != 32:
                raise Unusable(f"{base}/secret is not a jaxloop-lint key")
            return data
        raise Unusable(f"{base}/secret keeps changing")
    finally:
        os.close(fd)


def _make_secret(fd: int) -> None:
    """Written whole under a random name, then linked into place: a concurrent run sees no
    secret or a complete one, and the first link wins."""
    tmp = f".secret-{os.urandom(8).hex()}"
    new_file(fd, tmp, os.urandom(32), 0o600)
    try:
        os.link(tmp, "secret", src_dir_fd=fd, dst_dir_fd=fd, follow_symlinks=False)
    except FileExistsError:
        pass
    except OSError:  # a file system without hard links: a rename, which a racing run may undo
        try:         # (its entries are then misses, no more)
            os.stat("secret", dir_fd=fd, follow_symlinks=False)
        except FileNotFoundError:
            os.rename(tmp, "secret", src_dir_fd=fd, dst_dir_fd=fd)
            return
    finally:
        unlink_quietly(fd, tmp)
