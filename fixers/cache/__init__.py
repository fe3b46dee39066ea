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

from .dirs import Unusable
from .keys import Keyer, code_fingerprint, options_fingerprint
from .prune import MAX_AGE_DAYS, MAX_TOTAL_BYTES, clean, prune
from .store import MAX_ENTRY_BYTES, Cache
from .where import ENV_DIR, Location, default_location, locate, user_cache_base

__all__ = ["Cache", "ENV_DIR", "Keyer", "Location", "MAX_AGE_DAYS", "MAX_ENTRY_BYTES",
           "MAX_TOTAL_BYTES", "Unusable", "clean", "code_fingerprint", "default_location",
           "locate", "options_fingerprint", "prune", "user_cache_base"]
