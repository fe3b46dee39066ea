"""Results of unchanged files, kept where a pull request can neither forge nor abuse them.

The tree being checked may come from a pull request, and so may its ``pyproject.toml``. So:

* **Where.** By default the cache is outside the tree, in the user's cache directory
  (``$XDG_CACHE_HOME/jaxloop-lint/projects/<name>-<hash>/``, one directory per project: the
  nearest directory holding ``.git`` above the current one). ``--cache-dir`` and
  ``$JAXLOOP_CACHE_DIR`` (the user's choice) may put it anywhere; ``cache-dir`` in
  ``[tool.jaxloop]`` (the project's choice) only below that ``pyproject.toml``'s directory.
  An existing directory is used only if it is empty or already a jaxloop-lint cache (its
  ``CACHEDIR.TAG``), so no setting can make the tool write its ``.gitignore`` into ``src/``.
* **Authenticated.** Each entry carries an HMAC-SHA256 of its key and contents under a secret
  of this user's (``$XDG_CACHE_HOME/jaxloop-lint/secret``, 0600, made once with ``O_EXCL``).
  An entry someone else wrote, shipped in a tree, copied from another key or damaged, fails
  the check and is a miss.
* **No symlink is followed.** The directory is opened one component at a time with
  ``O_NOFOLLOW`` (below the current or the project directory), and every file in it through
  that directory's fd: markers and temporary files with ``O_CREAT | O_EXCL | O_NOFOLLOW`` and
  random names, entries with ``O_NOFOLLOW | O_NONBLOCK``, regular files only, a size cap per
  entry. The loaded fields are type-checked before use; anything wrong is a miss.
* **Bounded.** Entries unused for ``MAX_AGE_DAYS`` are removed, and the oldest ones past
  ``MAX_TOTAL_BYTES``, at most once a day (``last-prune``). ``jaxloop-fix --clean`` removes
  the directory (only the files the cache itself makes).

A key hashes the file's bytes and displayed path, every option that changes a result, and the
tool: its version, the Python and libcst versions, and a hash of its own source files. Only the
main process opens the cache; workers return the key with their result. Any failure to use the
directory turns the cache off for the run (one warning when the reason is not the usual).
"""
from __future__ import annotations

import errno
import hashlib
import hmac
import json
import os
import re
import stat
import sys
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Optional

from jaxloop_lint import Applicability, Diagnostic, Fix, __version__
from jaxloop_lint.catalog import BY_CODE
from jaxloop_lint.files import O_NOFOLLOW, ReadError, open_regular, read_fd

from .runner import CHECK, FileResult, Options

if TYPE_CHECKING:
    from pathlib import Path

ENV_DIR = "JAXLOOP_CACHE_DIR"
MAX_ENTRY_BYTES = 8 * 1024 * 1024    # one file's result (a diff of a 5 MB module fits)
MAX_TOTAL_BYTES = 512 * 1024 * 1024  # past this, the least recently used entries go
MAX_AGE_DAYS = 30                    # entries unused this long go
PRUNE_EVERY = 24 * 3600              # seconds between two prunings
TOUCH_AFTER = 24 * 3600              # a hit refreshes its entry's time when older than this
_FORMAT = 2
_MAGIC = b"jaxloop-cache 2\n"
_MAC = 32
_PACKAGES = ("jaxloop_lint", "fixers")
_TAG = (b"Signature: 8a477f597d28d172789f06886806bc55\n"
        b"# This is a jaxloop-fix cache directory.\n"
        b"# For information about cache directory tags see https://bford.info/cachedir/\n")
_TAG_LINE = b"# This is a jaxloop-fix cache directory."
_GITIGNORE = b"# Created by jaxloop-fix: the cache is never committed.\n*\n"
_ENTRY = re.compile(r"[0-9a-f]{62}")
_SUB = re.compile(r"[0-9a-f]{2}")
_DIR_FLAGS = (os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | O_NOFOLLOW
              | getattr(os, "O_CLOEXEC", 0))
_NEW_FILE = (os.O_WRONLY | os.O_CREAT | os.O_EXCL | O_NOFOLLOW | getattr(os, "O_CLOEXEC", 0)
             | getattr(os, "O_BINARY", 0))


_SUPPORTED = (os.open in os.supports_dir_fd and os.stat in os.supports_dir_fd
              and os.scandir in os.supports_fd and bool(O_NOFOLLOW))


class Unusable(Exception):
    """``str()`` says why the cache directory is not used."""


# ------------------------------------------------------------------------------------------
# Where


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
    from .gitignore import repository_root

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


# ------------------------------------------------------------------------------------------
# Opening directories and files without following links


def _step(parent: int, name: str, create: bool) -> tuple[int, bool]:
    """``name`` in the directory ``parent``, as an fd, never through a symlink; and whether it
    was created now."""
    for _ in range(2):
        try:
            return os.open(name, _DIR_FLAGS, dir_fd=parent), False
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
        return os.open(name, _DIR_FLAGS, dir_fd=parent), True
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
            child, _ = _step(fd, part, create)
            os.close(fd)
            fd = child
        final, created = _step(fd, parts[-1], create)
    except BaseException:
        os.close(fd)
        raise
    return final, fd, parts[-1], created


def _check_owner(fd: int, what: str) -> None:
    """The secret's directory: this user's, and nobody else may swap files in it."""
    st = os.fstat(fd)
    if hasattr(os, "geteuid") and st.st_uid != os.geteuid():
        raise Unusable(f"{what} belongs to another user")
    if st.st_mode & 0o022 and not st.st_mode & stat.S_ISVTX:
        raise Unusable(f"{what} is writable by other users")


def _is_ours(fd: int) -> bool:
    """The directory holds our CACHEDIR.TAG (a regular file, not a link)."""
    try:
        tag_fd, st = open_regular("CACHEDIR.TAG", follow=False, dir_fd=fd)
    except ReadError:
        return False
    try:
        return _TAG_LINE in read_fd(tag_fd, 4096, st)
    except ReadError:
        return False
    finally:
        os.close(tag_fd)


def _new_file(fd: int, name: str, data: bytes, mode: int = 0o644) -> bool:
    """Create ``name`` in ``fd``; False if anything (even a dangling link) is there already."""
    try:
        out = os.open(name, _NEW_FILE, mode, dir_fd=fd)
    except FileExistsError:
        return False
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(out, view):]
    finally:
        os.close(out)
    return True


def _adopt(fd: int, created: bool, shown: str) -> None:
    """Make ``fd`` a cache directory, or refuse one that is something else. (Who owns it does
    not matter: entries are signed, and nothing in it is followed.)"""
    if not created and not _is_ours(fd):
        if os.listdir(fd):
            raise Unusable(f"{shown} exists and is not a jaxloop-fix cache (no CACHEDIR.TAG of "
                           "its own); not used")
    _new_file(fd, ".gitignore", _GITIGNORE)
    _new_file(fd, "CACHEDIR.TAG", _TAG)


# ------------------------------------------------------------------------------------------
# The secret


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
    _new_file(fd, tmp, os.urandom(32), 0o600)
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
        _unlink(fd, tmp)


# ------------------------------------------------------------------------------------------
# Keys


def _libcst_version() -> bytes:
    """libcst's own version file, found without importing libcst (a warm run never does)."""
    from importlib.util import find_spec

    try:
        spec = find_spec("libcst")
        origin = spec.origin if spec is not None else None
        if origin:
            with open(os.path.join(os.path.dirname(origin), "_version.py"), "rb") as fh:
                return fh.read(4096)
    except (OSError, ImportError, ValueError):
        pass
    return b"libcst: unknown"


def code_fingerprint(root: Optional["Path"] = None) -> str:
    """A hash of the tool: its version, Python's and libcst's, and its own ``.py`` files (a
    developer's edit changes every key)."""
    from pathlib import Path

    digest = hashlib.sha256(f"{__version__}\0{sys.version}\0{_FORMAT}\0".encode())
    digest.update(_libcst_version())
    root = root or Path(__file__).resolve().parent.parent
    for package in _PACKAGES:
        for path in sorted((root / package).rglob("*.py")):
            digest.update(str(path.relative_to(root)).encode() + b"\0")
            digest.update(path.read_bytes())
    return digest.hexdigest()


def options_fingerprint(options: Options) -> str:
    config = options.config
    # --diff and write mode compute the same result; --check a different one.
    parts = ["check" if options.mode == CHECK else "fix", options.unsafe, options.select,
             options.ignore, config.extra_jit_decorators, config.flax_api, options.edits]
    return json.dumps(parts, default=list)


@dataclass(frozen=True)
class Keyer:
    """Computes keys; picklable, so workers key their own results (they never open the cache)."""

    prefix: bytes  # the tool's code fingerprint

    def key(self, path: str, data: bytes, options: Options) -> str:
        """Per file: each file may have its own options (its project's ``[tool.jaxloop]``)."""
        return hashlib.sha256(self.prefix + options_fingerprint(options).encode() + b"\0"
                              + path.encode("utf-8", "surrogateescape") + b"\0"
                              + data).hexdigest()


# ------------------------------------------------------------------------------------------
# The cache


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
        if not _SUPPORTED:
            return None  # no directory file descriptors (Windows): no cache rather than a weak one
        try:
            secret = user_secret()
            fd, parent, _, created = open_dir(location, create=True)
            os.close(parent)
            try:
                _adopt(fd, created, location.path)
                entries, _ = _step(fd, "entries", create=True)
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
                fd, _ = _step(self._entries, prefix, create)
            except (OSError, Unusable):
                fd = None
            if fd is not None or not create:
                self._subs[prefix] = fd
        return fd

    def _mac(self, key: str, payload: bytes) -> bytes:
        return hmac.new(self._secret, _MAGIC + key.encode() + b"\0" + payload,
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
        head = len(_MAGIC) + _MAC
        if not data.startswith(_MAGIC) or len(data) < head:
            return None
        payload = data[head:]
        if not hmac.compare_digest(data[len(_MAGIC):head], self._mac(key, payload)):
            return None
        try:
            return _load(json.loads(payload), path)
        except (ValueError, TypeError, KeyError, IndexError, RecursionError):
            return None

    def put(self, key: str, result: FileResult) -> None:
        if not _valid_key(key):
            return
        payload = json.dumps(_dump(result)).encode()
        data = _MAGIC + self._mac(key, payload) + payload
        if len(data) > MAX_ENTRY_BYTES:
            return
        sub = self._sub(key[:2], create=True)
        if sub is None:
            return
        tmp = f".tmp-{os.urandom(8).hex()}"  # random: nobody can plant a link there
        try:
            _new_file(sub, tmp, data, 0o600)
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
            _prune_if_due(self._fd, self._entries, self.written, self.location)
        except (OSError, Unusable):
            pass
        for fd in [self._entries, self._fd, *(f for f in self._subs.values() if f is not None)]:
            try:
                os.close(fd)
            except OSError:
                pass
        self._subs.clear()


def _valid_key(key: str) -> bool:
    return len(key) == 64 and _SUB.fullmatch(key[:2]) is not None \
        and _ENTRY.fullmatch(key[2:]) is not None


# ------------------------------------------------------------------------------------------
# Pruning and --clean


def _prune_if_due(fd: int, entries: int, written: int, location: Location) -> None:
    now = time.time()
    try:
        last = os.stat("last-prune", dir_fd=fd, follow_symlinks=False).st_mtime
    except FileNotFoundError:
        last = 0.0
    if now - last < PRUNE_EVERY and written < MAX_TOTAL_BYTES // 8:
        return
    if not _new_file(fd, "last-prune", b""):
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
            if not _SUB.fullmatch(sub_entry.name):
                continue
            try:
                sub = os.open(sub_entry.name, _DIR_FLAGS, dir_fd=entries)
            except OSError:
                continue
            subs.append(sub)
            for e in os.scandir(sub):
                try:
                    st = e.stat(follow_symlinks=False)
                except OSError:
                    continue
                stale_tmp = e.name.startswith(".tmp-") and now - st.st_mtime > 3600
                if _ENTRY.fullmatch(e.name) and stat.S_ISREG(st.st_mode):
                    if now - st.st_mtime > max_age:
                        _unlink(sub, e.name)
                    else:
                        kept.append((st.st_mtime, st.st_size, sub, e.name))
                elif stale_tmp or not (e.name.startswith(".tmp-") or stat.S_ISDIR(st.st_mode)):
                    _unlink(sub, e.name)
        total = sum(size for _, size, _, _ in kept)
        if total > max_total:
            for _, size, sub, name in sorted(kept):
                if total <= max_total * 3 // 4:
                    break
                _unlink(sub, name)
                total -= size
    finally:
        for sub in subs:
            os.close(sub)


def _prune_projects(location: Location, now: float) -> None:
    """Other projects' caches in the user's directory: removed whole when unused that long."""
    assert location.shared is not None
    try:
        projects = os.open(location.shared, _DIR_FLAGS)
    except OSError:
        return
    try:
        for e in os.scandir(projects):
            if os.path.join(location.shared, e.name) == location.path:
                continue
            try:
                fd, _ = _step(projects, e.name, create=False)
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


def _unlink(fd: int, name: str) -> None:
    try:
        os.unlink(name, dir_fd=fd)
    except OSError:
        pass


def _remove_cache(parent: int, name: str) -> bool:
    """Remove the cache ``name`` in ``parent``: only what a cache holds, never through a link.
    A directory that is not a cache is left alone (raises ``Unusable``). False: the directory
    itself stays, it holds other files."""
    fd, _ = _step(parent, name, create=False)
    try:
        if not _is_ours(fd) and os.listdir(fd):
            raise Unusable("not a jaxloop-fix cache (no CACHEDIR.TAG of its own); not removed")
        for e in os.scandir(fd):
            if e.is_dir(follow_symlinks=False) and (e.name == "entries" or _SUB.fullmatch(e.name)):
                _clear_dir(fd, e.name, levels=2 if e.name == "entries" else 1)
            elif e.name in (".gitignore", "CACHEDIR.TAG", "last-prune") or e.name.startswith(
                    ".tmp-"):
                _unlink(fd, e.name)
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
        fd, _ = _step(parent, name, create=False)
    except (OSError, Unusable):
        _unlink(parent, name)
        return
    try:
        for e in os.scandir(fd):
            if levels > 1 and e.is_dir(follow_symlinks=False):
                _clear_dir(fd, e.name, levels - 1)
            elif not e.is_dir(follow_symlinks=False):
                _unlink(fd, e.name)  # entries, temporary files (a version 1 cache: *.json)
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


# ------------------------------------------------------------------------------------------
# Entries: JSON, every field checked on the way in


def _dump_diag(d: Diagnostic) -> list:
    fix = None if d.fix is None else [d.fix.applicability.value, d.fix.description]
    return [d.code, d.line, d.col, d.message, d.end_line, d.end_col, fix]


def _int(value, minimum: int = 0) -> int:
    if type(value) is not int or value < minimum:
        raise ValueError("not a position")
    return value


def _opt_int(value) -> Optional[int]:
    return None if value is None else _int(value)


def _str(value) -> str:
    if type(value) is not str:
        raise TypeError("not a string")
    return value


def _load_diag(row: list, path: str) -> Diagnostic:
    if type(row) is not list or len(row) != 7:
        raise ValueError("not a finding")
    code, line, col, message, end_line, end_col, fix = row
    if _str(code) not in BY_CODE:
        raise ValueError("not a rule code")
    if fix is not None:
        if type(fix) is not list or len(fix) != 2:
            raise ValueError("not a fix")
        fix = Fix(Applicability(_str(fix[0])), _str(fix[1]))
    return Diagnostic(code, _int(line, 1), _int(col), _str(message), path, _opt_int(end_line),
                      _opt_int(end_col), fix)


def _dump(result: FileResult) -> dict:
    return {"remaining": [_dump_diag(d) for d in result.remaining],
            "applied": [_dump_diag(d) for d in result.applied],
            "diff": result.diff, "error": result.error,
            "edits": [None if e is None else [list(e.start), list(e.end), e.new_text]
                      for e in result.edits]}


def _position(value) -> tuple[int, int]:
    if type(value) is not list or len(value) != 2:
        raise ValueError("not a position")
    return _int(value[0], 1), _int(value[1])


def _load(entry: dict, path: str) -> FileResult:
    if type(entry) is not dict or set(entry) != {"remaining", "applied", "diff", "error",
                                                 "edits"}:
        raise ValueError("not an entry")
    if type(entry["remaining"]) is not list or type(entry["applied"]) is not list \
            or type(entry["edits"]) is not list:
        raise ValueError("not an entry")
    remaining = [_load_diag(r, path) for r in entry["remaining"]]
    edits = []
    if entry["edits"]:
        from .edits import TextEdit
        if len(entry["edits"]) != len(remaining):
            raise ValueError("edits do not match the findings")
        for e in entry["edits"]:
            if e is None:
                edits.append(None)
            elif type(e) is list and len(e) == 3:
                edits.append(TextEdit(_position(e[0]), _position(e[1]), _str(e[2])))
            else:
                raise ValueError("not an edit")
    error = entry["error"]
    return FileResult(path, remaining, [_load_diag(r, path) for r in entry["applied"]],
                      _str(entry["diff"]), None if error is None else _str(error), edits=edits,
                      cached=True)
