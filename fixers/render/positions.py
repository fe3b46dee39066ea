"""The one place an analysis position (1-based line, UTF-8 byte column from ast) becomes a
libcst position (1-based line, character column)."""
from __future__ import annotations

import ast
from typing import Sequence

Pos = tuple[int, int]


def cst_pos(lines: Sequence[str], node: ast.AST) -> Pos:
    text = lines[node.lineno - 1] if 0 < node.lineno <= len(lines) else ""
    col = node.col_offset
    if not text.isascii():
        col = len(text.encode("utf-8")[:col].decode("utf-8", "replace"))
    return node.lineno, col
