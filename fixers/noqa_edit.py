"""The edit behind "Ignore JXLnnn on this line": add ``# noqa: JXLnnn`` to a physical line, or
add the code to the ``# noqa: X`` comment already there (in the form ``jaxloop_lint.noqa`` and
flake8 read)."""
from __future__ import annotations

import io
import tokenize
from typing import Optional

from jaxloop_lint.noqa import NOQA_INLINE

from .edits import TextEdit, physical_lines


def noqa_edit(text: str, line: int, code: str) -> Optional[TextEdit]:
    """None where no comment can go (a line continued with a backslash, or inside a string)
    or where a bare ``# noqa`` already silences everything."""
    lines = physical_lines(text)
    if not 0 < line <= len(lines):
        return None
    body = lines[line - 1].rstrip("\r\n")
    comment = _comment(text, line)
    if comment is None:
        if body.endswith("\\") or _inside_token(text, line):
            return None
        end = len(body.rstrip())
        return TextEdit((line, end), (line, len(body)), f"  # noqa: {code}")
    col, comment_text = comment
    match = NOQA_INLINE.search(comment_text)
    if match is None:
        return TextEdit((line, len(body)), (line, len(body)), f"  # noqa: {code}")
    if match.group("codes") is None:
        return None
    # Right after the last code (the group also takes the separators that follow it).
    at = col + match.start("codes") + len(match.group("codes").rstrip(", \t"))
    return TextEdit((line, at), (line, at), f", {code}")


def _tokens(text: str):
    try:
        yield from tokenize.generate_tokens(io.StringIO(text).readline)
    except (tokenize.TokenError, SyntaxError):
        return


def _comment(text: str, line: int) -> Optional[tuple[int, str]]:
    """(column, text) of the comment that ends ``line``, if it has one."""
    for tok in _tokens(text):
        if tok.type == tokenize.COMMENT and tok.start[0] == line:
            return tok.start[1], tok.string
        if tok.start[0] > line:
            break
    return None


def _inside_token(text: str, line: int) -> bool:
    """Does a token (a triple-quoted string) run on past the end of ``line``?"""
    for tok in _tokens(text):
        if tok.start[0] <= line < tok.end[0] and tok.type == tokenize.STRING:
            return True
        if tok.start[0] > line:
            break
    return False
