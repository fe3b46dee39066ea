"""``jaxloop-lsp`` with a count of the analyses it runs, for the tests: the workspace command
``test.analyses`` answers how many times the core's ``analyze`` has been called so far.

Run as ``python tests/counting_lsp.py`` (what ``counting_server_command`` gives); nothing in the
server itself knows about it.
"""
from __future__ import annotations

import sys
import threading
from pathlib import Path

import jaxloop_lint.core as core

from fixers import lsp

_calls = 0
_lock = threading.Lock()
_analyze = core.analyze


def _counting_analyze(*args, **kwargs):
    global _calls
    with _lock:
        _calls += 1
    return _analyze(*args, **kwargs)


@lsp.server.command("test.analyses")
def analyses(ls, *args) -> int:
    return _calls


def counting_server_command() -> list[str]:
    return [sys.executable, str(Path(__file__).resolve())]


if __name__ == "__main__":
    core.analyze = _counting_analyze
    sys.exit(lsp.main())
