"""One finding's fix rendered on the top-level statement that holds it, not on the whole module.

libcst costs about a millisecond per line to parse, locate and rewrite, so one quick fix in a
1,000-line module took half a second to two seconds, for a rewrite that stays inside one
function. Here the lines before and after the statement become one string literal each (as many
lines as they had, so every position holds), that small module is rendered, and the statement's
new lines are put back between the untouched others. The result is the whole-module render's,
because all the renderer reads outside the statement is kept: the names already taken (from the
whole module) and the indentation unit libcst infers (the same, or the window is not used).

``render_window`` returns None when it cannot vouch for that, and the caller renders the whole
module: a finding outside any top-level statement, a plan that adds ``import jax`` (it goes
among the module's imports), a different indentation unit, a plan with an edit outside the
statement (it does not apply), or a render that changed anything outside it.
"""
from __future__ import annotations

import ast
import io
import tokenize
from typing import Optional

from jaxloop_lint import Diagnostic
from jaxloop_lint.positions import physical_lines

from .naming import Names


def render_window(source: str, diagnostic: Diagnostic) -> Optional[tuple[str, list[Diagnostic]]]:
    """``render_fixes(source, [diagnostic])``, rendered on the statement that holds it; None:
    render the whole module instead."""
    from . import render_fixes

    plan = diagnostic.fix.plan if diagnostic.fix is not None else None
    if plan is None or getattr(plan, "needs_jax_import", False):
        return None
    module = _module(source)
    span = module.statement_around(diagnostic.line)
    if span is None or module.indent is None:
        return None
    lines = module.lines
    head, last = span[0] - 1, span[1]
    windowed = _filler(lines[:head]) + lines[head:last] + _filler(lines[last:])
    if _indent_unit("".join(windowed)) != module.indent:
        return None
    new, applied = render_fixes("".join(windowed), [diagnostic], names=module.names)
    if not applied:
        return None
    new_lines = physical_lines(new)
    tail = len(lines) - last
    if len(new_lines) < head + tail or new_lines[:head] != windowed[:head] \
            or new_lines[len(new_lines) - tail:] != windowed[last:]:
        return None
    return "".join(lines[:head] + new_lines[head:len(new_lines) - tail] + lines[last:]), applied


class _Module:
    """What the window needs of the whole module: computed once per text (a quick fix and a
    JSON report render several findings of one text in a row)."""

    def __init__(self, source: str) -> None:
        self.source = source
        tree = ast.parse(source)
        self.lines = physical_lines(source)
        self.names = Names(source, tree)
        self.indent = _indent_unit(source)
        self.spans = []
        for stmt in tree.body:
            first = min([d.lineno for d in getattr(stmt, "decorator_list", ())] + [stmt.lineno])
            self.spans.append((first, _with_trailing_comments(self.lines, stmt.end_lineno)))

    def statement_around(self, line: int) -> Optional[tuple[int, int]]:
        """1-based first and last line of the top-level statement holding ``line``: from its
        first decorator to the comment and blank lines after it (libcst gives those to the
        block, and a rewrite may move them)."""
        for first, last in self.spans:
            if first <= line <= last:
                return first, last
        return None


_last: Optional[_Module] = None


def _module(source: str) -> _Module:
    global _last
    if _last is None or _last.source != source:
        _last = _Module(source)
    return _last


def _with_trailing_comments(lines: list[str], last: int) -> int:
    while last < len(lines) and (not lines[last].strip() or lines[last].lstrip().startswith("#")):
        last += 1
    return last


def _filler(lines: list[str]) -> list[str]:
    """``lines`` as one string-literal statement on as many lines, each keeping its ending (the
    first one's is the newline libcst takes for the module's)."""
    if not lines:
        return []
    endings = [line[len(line.rstrip("\r\n")):] for line in lines]
    if len(lines) == 1:
        return ['""' + endings[0]]
    return ['"""' + endings[0]] + endings[1:-1] + ['"""' + endings[-1]]


def _indent_unit(source: str) -> Optional[str]:
    """The indentation of the first indented block, which libcst takes as the module's unit
    for the blocks it writes; None if the tokenizer stops first."""
    try:
        for token in tokenize.generate_tokens(io.StringIO(source).readline):
            if token.type == tokenize.INDENT:
                return token.string
    except (tokenize.TokenError, SyntaxError):
        return None
    return "    "  # none: libcst's default
