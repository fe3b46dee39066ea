"""Edit plans: fixes that are a handful of local edits (``x[i] = v`` -> ``x = x.at[i].set(v)``,
hoisting a Variable read, carrying a Variable's value through a lax loop).

Loops have their own plan (``types.LoopPlan``): rewriting a loop moves its whole body. An edit
plan names ast nodes and the code that replaces them, or goes before or after them; the fixer
matches the nodes by position and renders every edit of a plan, or none of them.

The code of an edit is a tuple of pieces: generated text (syntax and new names, never the user's
code) and intents over original nodes (``Source``, ``AtIndex``), which the renderer writes from
the libcst nodes after the edits inside them, so the user's comments and formatting survive.
"""
from __future__ import annotations

import ast
from dataclasses import dataclass, field
from typing import Union

from ...diagnostics import Applicability

# Edit kinds.
REPLACE_EXPR = "replace_expr"       # node: an expression
REPLACE_STMT = "replace_stmt"       # node: a simple statement; code: one statement
RENAME_PARAM = "rename_param"       # node: an ast.arg; code: the new name (annotation dropped)
INSERT_BEFORE = "insert_before"     # node: a simple statement; code: statements (\n-separated)
INSERT_AFTER = "insert_after"       # node: a simple statement; code: statements
PREPEND_BODY = "prepend_body"       # node: a FunctionDef; code: statements
DELETE_STMT = "delete_stmt"         # node: a simple statement alone on its line; code: ()


@dataclass(frozen=True, eq=False)
class Source:
    """An original expression, as the user wrote it, after the edits inside it (edits nest:
    ``return self.n[...] + h`` -> ``return (n + h), n`` is ``("(", Source(e), "), n")`` around
    the edit of ``self.n[...]``)."""

    node: ast.AST


@dataclass(frozen=True, eq=False)
class AtIndex:
    """An original subscript ``x[i]`` as ``x.at[i]`` (the index as the user wrote it)."""

    target: ast.Subscript


Piece = Union[str, Source, AtIndex]
Code = tuple[Piece, ...]


def sources(code: Code) -> list[ast.AST]:
    """The original nodes a piece of code repeats."""
    return [p.node if isinstance(p, Source) else p.target for p in code if not isinstance(p, str)]


@dataclass(frozen=True, eq=False)
class Edit:
    kind: str
    node: ast.AST
    code: Code = ()


@dataclass(eq=False)
class EditPlan:
    target: str                      # what the fix writes, for the message: ``.at[].set()``
    summary: str                     # the fix's description, without the safety notes
    edits: list[Edit] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # why the fix is unsafe

    @property
    def applicability(self) -> Applicability:
        return Applicability.UNSAFE if self.notes else Applicability.SAFE

    @property
    def description(self) -> str:
        if self.notes:
            return f"{self.summary} (unsafe: " + "; ".join(self.notes) + ")"
        return self.summary
