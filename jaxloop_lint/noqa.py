"""``# noqa`` exactly as flake8 reads it, for the front ends that are not flake8 (the fix CLI,
the editor server). flake8 applies it itself for the plugin.

Mirrors flake8 7 (``defaults.NOQA_INLINE_REGEXP`` and ``Violation.is_inline_ignored``): the
pattern is searched in the physical line of the finding, codes match exactly or as prefixes, and
the comparison of codes is case-sensitive even though ``noqa`` itself is not.
"""
from __future__ import annotations

import re
from typing import Sequence

NOQA_INLINE = re.compile(
    r"# noqa(?::[\s]?(?P<codes>([A-Z]+[0-9]+(?:[,\s]+)?)+))?",
    re.IGNORECASE,
)
_SPLIT = re.compile(r"[,\s]")


def is_suppressed(code: str, line: int, lines: Sequence[str]) -> bool:
    """Does a ``# noqa`` on physical line ``line`` (1-based) silence ``code``?"""
    if not 0 < line <= len(lines):
        return False
    match = NOQA_INLINE.search(lines[line - 1])
    if match is None:
        return False
    codes_str = match.group("codes")
    if codes_str is None:
        return True
    codes = {c.strip() for c in _SPLIT.split(codes_str) if c.strip()}
    return code in codes or code.startswith(tuple(codes))
