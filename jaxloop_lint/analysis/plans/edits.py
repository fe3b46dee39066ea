"""Edit plans: fixes that are a handful of local edits (``x[i] = v`` -> ``x = x.at[i].set(v)``,
hoisting a Variable read, carrying a Variable's value through a lax loop).

Loops have their own plan (``plan.LoopPlan``): rewriting a loop moves its whole body. An edit
plan only names ast nodes and the text that replaces them, or goes before or after them; the
fixer matches the nodes by position and renders every edit of a plan, or none of them.
"""
from __future__ import annotations

import ast
from dataclasses import dataclass, field

from ...diagnostics import Applicability

# Edit kinds. In ``text`` of REPLACE_EXPR, ``{}`` stands for the node's own code after the edits
# inside it, so edits nest: ``return self.n[...] + h`` -> ``return (n + h), n``.
REPLACE_EXPR = "replace_expr"       # node: an expression
REPLACE_STMT = "replace_stmt"       # node: a simple statement; text: one statement
RENAME_PARAM = "rename_param"       # node: an ast.arg; text: the new name (annotation dropped)
INSERT_BEFORE = "insert_before"     # node: a simple statement; text: statements (\n-separated)
INSERT_AFTER = "insert_after"       # node: a simple statement; text: statements
PREPEND_BODY = "prepend_body"       # node: a FunctionDef; text: statements
DELETE_STMT = "delete_stmt"         # node: a simple statement alone on its line; text: ""


@dataclass(frozen=True, eq=False)
class Edit:
    kind: str
    node: ast.AST
    text: str


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
