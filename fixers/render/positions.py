"""An analysis position (1-based line, UTF-8 byte column from ast) as a libcst position
(1-based line, character column), and the libcst node at an ast node's position."""
from __future__ import annotations

import ast
from typing import Iterable, Sequence

import libcst as cst
from libcst.metadata import MetadataWrapper, PositionProvider

from jaxloop_lint.positions import char_col

Pos = tuple[int, int]


def cst_pos(lines: Sequence[str], node: ast.AST) -> Pos:
    return node.lineno, char_col(lines, node.lineno, node.col_offset)


Span = tuple[Pos, Pos]


def cst_span(lines: Sequence[str], node: ast.AST) -> Span:
    """Start and end: two nested expressions can start at one position (``f(x).sum()``)."""
    return cst_pos(lines, node), (node.end_lineno,
                                  char_col(lines, node.end_lineno, node.end_col_offset))


def node_span(get_range, node) -> Span:
    """A libcst node's span as ast gives it: ast spans a parenthesised tuple with its
    parentheses, libcst without them."""
    r = get_range(node)
    (l1, c1), (l2, c2) = (r.start.line, r.start.column), (r.end.line, r.end.column)
    if isinstance(node, cst.Tuple) and node.lpar:
        code = cst.Module([]).code_for_node
        c1 -= sum(len(code(p)) for p in node.lpar)
        c2 += sum(len(code(p)) for p in node.rpar)
    return (l1, c1), (l2, c2)


class Originals:
    """The libcst node of each original ast expression a plan names, found by its span, so the
    fixer writes the user's own code (formatting and comments inside it kept)."""

    def __init__(self, wrapper: MetadataWrapper, lines: Sequence[str],
                 nodes: Iterable[ast.AST]) -> None:
        self.lines = lines
        wanted = {cst_span(lines, n) for n in nodes}
        self.found: dict[Span, cst.CSTNode] = {}
        if not wanted:
            return
        ranges = wrapper.resolve(PositionProvider)
        for node, _range in ranges.items():
            if isinstance(node, cst.BaseExpression):
                span = node_span(ranges.__getitem__, node)
                if span in wanted:
                    old = self.found.get(span)
                    # Two nested expressions can share a span (``(f)(x)``): the outermost.
                    if old is None or _contains(node, old):
                        self.found[span] = node

    def has(self, node: ast.AST) -> bool:
        return cst_span(self.lines, node) in self.found

    def node(self, node: ast.AST) -> cst.CSTNode:
        return self.found[cst_span(self.lines, node)]

    def code(self, node: ast.AST) -> str:
        return cst.Module([]).code_for_node(self.node(node))


def _contains(outer: cst.CSTNode, inner: cst.CSTNode) -> bool:
    return any(child is inner or _contains(child, inner) for child in outer.children)
