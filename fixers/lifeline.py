"""Workers die with the main process.

A worker whose main process was killed (SIGKILL, an out-of-memory kill, a CI job cancelled) must
not go on rewriting files nobody will report, then wait forever for a parent that is gone. On
Linux the kernel sends the worker SIGKILL when its parent dies (``PR_SET_PDEATHSIG``); elsewhere
a thread polls for the parent. Either way each worker also checks before every file.
"""
from __future__ import annotations

import os
import sys
from typing import Optional

_PR_SET_PDEATHSIG = 1
_POLL = 0.5  # seconds between the watchdog's checks where the kernel cannot tell

_parent: Optional[int] = None


def bind(parent: int) -> None:
    """In a worker, first thing: die when ``parent`` does."""
    global _parent
    _parent = parent
    if not _kernel_watches():
        import threading

        threading.Thread(target=_watch, name="jaxloop-lifeline", daemon=True).start()
    check()  # the parent may have died before the kernel was told


def check() -> None:
    """Exit at once if this is a worker whose main process is gone (no-op elsewhere)."""
    if _parent is not None and os.getppid() != _parent:
        os._exit(1)


def _kernel_watches() -> bool:
    if not sys.platform.startswith("linux"):
        return False
    try:
        import ctypes
        import signal

        libc = ctypes.CDLL(None, use_errno=True)
        return libc.prctl(_PR_SET_PDEATHSIG, int(signal.SIGKILL), 0, 0, 0) == 0
    except (OSError, AttributeError):
        return False


def _watch() -> None:
    import time

    while True:
        time.sleep(_POLL)
        check()
