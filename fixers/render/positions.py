"""An analysis position (1-based line, UTF-8 byte column from ast) as a libcst position
(1-based line, character column)."""
from __future__ import annotations

import ast
from typing import Sequence

from jaxloop_lint.positions import char_col

Pos = tuple[int, int]


def cst_pos(lines: Sequence[str], node: ast.AST) -> Pos:
    return node.lineno, char_col(lines, node.lineno, node.col_offset)


Span = tuple[Pos, Pos]


def cst_span(lines: Sequence[str], node: ast.AST) -> Span:
    """Start and end: two nested expressions can start at one position (``f(x).sum()``)."""
    return cst_pos(lines, node), (node.end_lineno,
                                  char_col(lines, node.end_lineno, node.end_col_offset))
