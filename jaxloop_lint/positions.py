"""ast columns count UTF-8 bytes; flake8, editors and libcst count characters. Every position
that leaves the analysis goes through ``char_col`` once."""
from __future__ import annotations

import io
from typing import Sequence


def physical_lines(text: str) -> list[str]:
    """``text``'s lines with their endings, split where Python (and LSP) split them: at
    ``\n``, ``\r\n`` and ``\r`` only. ``str.splitlines`` also splits at form feeds, ``\x1c``
    and ``\u2028``, which would shift every line number after one."""
    return io.StringIO(text, newline="").readlines()


def char_col(lines: Sequence[str], line: int, byte_col: int) -> int:
    """The character column of ``byte_col`` on 1-based ``line``."""
    if not 0 < line <= len(lines):
        return byte_col
    text = lines[line - 1]
    if text.isascii():
        return byte_col
    return len(text.encode("utf-8")[:byte_col].decode("utf-8", "replace"))
