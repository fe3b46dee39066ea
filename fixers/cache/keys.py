"""What a cache key holds: the file, its options, and the tool itself."""
from __future__ import annotations

import hashlib
import json
import os
import sys
from dataclasses import dataclass
from typing import TYPE_CHECKING, Optional

from jaxloop_lint import __version__

from ..runner import CHECK, Options

if TYPE_CHECKING:
    from pathlib import Path

FORMAT = 2  # of the entries: a change makes every old key a miss
PACKAGES = ("jaxloop_lint", "fixers")


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

    digest = hashlib.sha256(f"{__version__}\0{sys.version}\0{FORMAT}\0".encode())
    digest.update(_libcst_version())
    root = root or Path(__file__).resolve().parents[2]
    for package in PACKAGES:
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
