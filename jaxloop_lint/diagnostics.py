"""What every front end receives: a Diagnostic, with an optional Fix and its applicability."""
from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import Any, Optional


class Applicability(enum.Enum):
    """Ruff's policy: safe fixes apply by default, unsafe ones only on request."""

    SAFE = "safe"
    UNSAFE = "unsafe"


@dataclass(frozen=True)
class Fix:
    applicability: Applicability
    description: str
    # The analysis's rewrite plan, which the fixer renders (opaque to every other front end).
    plan: Any = field(default=None, compare=False, repr=False)


@dataclass(frozen=True)
class Diagnostic:
    """One finding. ``line`` is 1-based, ``col`` 0-based in characters (not UTF-8 bytes)."""

    code: str
    line: int
    col: int
    message: str
    path: str = "<string>"
    end_line: Optional[int] = None
    end_col: Optional[int] = None
    fix: Optional[Fix] = None
    # The rest of the explanation, for the reader who asks (--show-fixes, JSON, the editor's
    # hover): the rule's detail, then the fix's whole description or the whole reason there is
    # none. ``message`` stays one short line, which flake8 prints.
    detail: str = field(default="", compare=False)

    def format(self) -> str:
        """``path:line:col: CODE message`` with a 1-based column, as flake8 prints it."""
        return f"{self.path}:{self.line}:{self.col + 1}: {self.code} {self.message}"
