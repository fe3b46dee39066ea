"""A loop's body as one statement per line, whatever the user wrote.

libcst keeps ``for x in xs: h = f(h, x)`` as a ``SimpleStatementSuite`` of small statements
(no lines, no indentation) and ``a = 1; b = 2`` as one ``SimpleStatementLine`` holding two.
A step function needs an indented block of lines, one statement each, in the same order as
the analysis's ``ast`` statements (which are one per small statement).
"""
from __future__ import annotations

from typing import Union

import libcst as cst

Body = Union[cst.IndentedBlock, cst.SimpleStatementSuite]


def statement_lines(body: Body) -> list[cst.BaseStatement]:
    """The body's statements, one small statement per line; a suite's trailing comment stays
    on its last statement, a joined line's comments on its first and last."""
    if isinstance(body, cst.SimpleStatementSuite):
        return _split(list(body.body), (), body.trailing_whitespace)
    out: list[cst.BaseStatement] = []
    for stmt in body.body:
        if isinstance(stmt, cst.SimpleStatementLine):
            out += _split(list(stmt.body), stmt.leading_lines, stmt.trailing_whitespace)
        else:
            out.append(stmt)
    return out


def statement_nodes(body: Body) -> list[cst.CSTNode]:
    """The nodes ``statement_lines`` makes a line of, in the original tree (for positions)."""
    if isinstance(body, cst.SimpleStatementSuite):
        return list(body.body)
    out: list[cst.CSTNode] = []
    for stmt in body.body:
        out += list(stmt.body) if isinstance(stmt, cst.SimpleStatementLine) else [stmt]
    return out


def _split(smalls, leading, trailing: cst.TrailingWhitespace) -> list[cst.SimpleStatementLine]:
    last = len(smalls) - 1
    return [cst.SimpleStatementLine(
        body=[small.with_changes(semicolon=cst.MaybeSentinel.DEFAULT)],
        leading_lines=list(leading) if k == 0 else [],
        trailing_whitespace=trailing if k == last else cst.TrailingWhitespace())
        for k, small in enumerate(smalls)]


def block_layout(body: Body) -> dict:
    """The indented block's own header comment, footer and indentation, for the step function's
    body (a one-line suite has none: the defaults)."""
    if isinstance(body, cst.IndentedBlock):
        return {"header": body.header, "footer": body.footer, "indent": body.indent}
    return {}
