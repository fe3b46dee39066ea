"""A one-line progress display on stderr for long runs on a terminal.

Nothing is drawn for the first second (a short run stays quiet), when stderr is not a terminal,
or with ``--quiet``. The line is redrawn at most ten times a second and erased at the end, so
it never mixes with the findings, which are printed after it.
"""
from __future__ import annotations

import time
from typing import TextIO

DELAY = 1.0      # seconds before the first draw
INTERVAL = 0.1   # seconds between draws


class Progress:
    def __init__(self, stream: TextIO, total: int, enabled: bool = True) -> None:
        self.stream = stream
        self.total = total
        self.enabled = enabled and _is_tty(stream)
        self.done = 0
        self.findings = 0
        self.start = time.monotonic()
        self._last_draw = 0.0
        self._drawn = False

    def update(self, findings: int) -> None:
        """One more file is done; it had ``findings`` findings."""
        self.done += 1
        self.findings += findings
        if not self.enabled:
            return
        now = time.monotonic()
        if now - self.start < DELAY or now - self._last_draw < INTERVAL:
            return
        self._last_draw = now
        self._write("\r\x1b[K" + self.line(now - self.start))
        self._drawn = True

    def line(self, elapsed: float) -> str:
        text = f"jaxloop-fix: {self.done}/{self.total} files, {self.findings} findings"
        if 0 < self.done < self.total:
            eta = elapsed / self.done * (self.total - self.done)
            text += f", ETA {eta:.0f} s"
        return text

    def close(self) -> None:
        if self._drawn:
            self._write("\r\x1b[K")
            self._drawn = False

    def _write(self, text: str) -> None:
        try:
            self.stream.write(text)
            self.stream.flush()
        except (OSError, ValueError):
            self.enabled = False


def _is_tty(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False
