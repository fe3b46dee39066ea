"""Short forms of the analysis's reasons, for the one-line message.

A reason (why a fix is unsafe, or why there is none) is written as a headline, then the
explanation after the first ``: `` or ``; ``: "`xs` may be a list, not an array: jax.lax.scan
would step through each of its arrays instead". The one-line message (flake8, ``jaxloop-fix``'s default output)
shows the headline; the detail (``--show-fixes``, JSON, SARIF, the editor's hover) the whole
reason. A reason without a separator is its own headline, so it has to be short.
"""
from __future__ import annotations

from typing import Sequence

# More headlines than fit in this many characters: the first, and how many more.
_NOTES_BUDGET = 90


def headline(reason: str) -> str:
    """The text before the first ``: `` or ``; `` outside backquotes and brackets."""
    depth, quoted = 0, False
    for i, ch in enumerate(reason):
        if ch == "`":
            quoted = not quoted
        elif quoted:
            continue
        elif ch in "([{":
            depth += 1
        elif ch in ")]}":
            depth = max(0, depth - 1)
        elif ch in ":;" and depth == 0 and reason[i + 1:i + 2] == " " and i > 0:
            return reason[:i]
    return reason


def headlines(notes: Sequence[str]) -> str:
    """Several reasons, shortened to fit one line: ``a; b`` or ``a; and 2 more``."""
    heads = list(dict.fromkeys(headline(n) for n in notes))
    joined = "; ".join(heads)
    if len(heads) <= 1 or len(joined) <= _NOTES_BUDGET:
        return joined
    return f"{heads[0]}; and {len(heads) - 1} more"
