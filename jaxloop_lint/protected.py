"""``# noqa`` on a loop protects the loop: no fix touches it.

``for x in xs:  # noqa: JXL101`` says "leave this loop as it is". flake8 reads the comment for
the finding on that line only, so the loop's other findings (``outs.append`` inside it: JXL201)
are still reported, and their fix would rewrite the loop anyway. The core drops every fix that
would change a line of a protected loop, so every front end agrees (``jaxloop-fix``, the JSON
and SARIF edits, the editor's code actions); the findings stay, each with the reason.

A loop is protected when the line of its ``for`` / ``while`` carries a bare ``# noqa`` or one
that names a loop code (JXL101-JXL104, or a prefix of one: ``# noqa: JXL1``). A fix touches the
loop when it replaces or deletes code inside it, or inserts code into its body; inserting a
statement before or after the whole loop does not.
"""
from __future__ import annotations

import ast
from typing import Iterator, Optional, Sequence

from .analysis.plans.edits import INSERT_AFTER, INSERT_BEFORE, PREPEND_BODY, EditPlan
from .analysis.plans.types import LoopPlan
from .catalog import RULES
from .noqa import is_suppressed

LOOP_CODES = tuple(rule.code for rule in RULES if rule.loop)

# A protected loop: the line of its ``for`` / ``while``, the first line of its body, its last.
Loop = tuple[int, int, int]


def protected_loops(tree: ast.Module, lines: Sequence[str]) -> list[Loop]:
    """The loops a ``# noqa`` on their first line protects."""
    if not any("noqa" in line.lower() for line in lines):  # the common case: nothing to walk
        return []
    return [(node.lineno, node.body[0].lineno, node.end_lineno or node.lineno)
            for node in ast.walk(tree)
            if isinstance(node, (ast.For, ast.AsyncFor, ast.While))
            and any(is_suppressed(code, node.lineno, lines) for code in LOOP_CODES)]


def blocking_loop(plan: object, loops: Sequence[Loop]) -> Optional[int]:
    """The first line of the protected loop ``plan`` would change, if any."""
    for header, body, end in loops:
        for first, last, insertion in _touched(plan):
            if body <= first <= end if insertion else first <= end and last >= header:
                return header
    return None


def _touched(plan: object) -> Iterator[tuple[int, int, bool]]:
    """(first line, last line, is an insertion) of what ``plan`` changes. An insertion's line is
    that of the statement it goes next to, in the same block."""
    if isinstance(plan, LoopPlan):
        nodes = [plan.loop.node, plan.final_return]
        for output in plan.outputs:
            nodes += [output.init, output.consumer]
        for node in nodes:
            if node is not None:
                yield node.lineno, node.end_lineno or node.lineno, False
    elif isinstance(plan, EditPlan):
        for edit in plan.edits:
            node = edit.node
            if edit.kind == PREPEND_BODY:  # before the function's first statement
                yield node.body[0].lineno, node.body[0].lineno, True
            elif edit.kind in (INSERT_BEFORE, INSERT_AFTER):  # next to a simple statement
                yield node.lineno, node.lineno, True
            else:
                yield node.lineno, node.end_lineno or node.lineno, False
