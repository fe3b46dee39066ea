"""One finding's fix as one text edit, for front ends that hand out edits instead of files:
the editor server's quick fixes and the JSON / SARIF reports.

Positions are 1-based lines and 0-based character columns, as in ``Diagnostic``. Lines end
where Python's tokenizer and LSP end them (``\n``, ``\r\n``, ``\r``), not at every character
``str.splitlines`` splits on (form feed, ``\x1c``, ``\u2028``, ...).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

from jaxloop_lint import Diagnostic
from jaxloop_lint.positions import physical_lines

from . import apply as _apply


@dataclass(frozen=True)
class TextEdit:
    """Replace the text from ``start`` up to ``end`` (line 1-based, column 0-based)."""

    start: tuple[int, int]
    end: tuple[int, int]
    new_text: str


def minimal_edit(before: str, after: str) -> Optional[TextEdit]:
    """The one range that turns ``before`` into ``after``: common prefix and suffix dropped.

    Whole lines are kept whole (the edit starts at a line start and ends after a newline), so
    an editor never sees half an identifier replaced and indentation stays readable.
    """
    if before == after:
        return None
    a, b = physical_lines(before), physical_lines(after)
    head = 0
    while head < min(len(a), len(b)) and a[head] == b[head]:
        head += 1
    tail = 0
    while tail < min(len(a), len(b)) - head and a[-1 - tail] == b[-1 - tail]:
        tail += 1
    new_text = "".join(b[head:len(b) - tail])
    start = (head + 1, 0)
    end_index = len(a) - tail  # first kept line after the change (0-based)
    if end_index < len(a) or not a or a[-1].endswith("\n"):
        end = (end_index + 1, 0)
    else:  # the change reaches a last line without a newline: end at that line's end
        end = (len(a), len(a[-1]))
    return TextEdit(start, end, new_text)


def fix_edit(text: str, diagnostic: Diagnostic) -> Optional[TextEdit]:
    """The edit that applies just ``diagnostic``'s fix to ``text``, the source it was found in:
    its plan rendered as is, without analysing ``text`` again. None if it has no fix or the
    renderer declines it. An unsafe fix is rendered too: asking for it is the user's choice.
    Raises ``SourceError`` (a fix that would not parse or strays outside its plan)."""
    fixed = _apply.fix_one(text, diagnostic)
    return None if fixed is None else minimal_edit(text, fixed)


def apply_edit(text: str, edit: TextEdit) -> str:
    """``text`` with ``edit`` applied (what an editor does with it; used by tests and tools)."""
    lines = physical_lines(text)

    def offset(pos: tuple[int, int]) -> int:
        line, col = pos
        return sum(len(x) for x in lines[:line - 1]) + col

    return text[:offset(edit.start)] + edit.new_text + text[offset(edit.end):]
