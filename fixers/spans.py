"""The guard before any fixed text is handed back: outside the spans the applied plans rewrite,
the new text must equal the old line for line. A renderer bug that touches anything else
becomes an internal error for that file, never a silent edit."""
from __future__ import annotations

import difflib
from typing import Iterable

from jaxloop_lint import Diagnostic, SourceError
from jaxloop_lint.analysis.plans import edits as E
from jaxloop_lint.analysis.plans import EditPlan
from jaxloop_lint.analysis.plans import LoopPlan
from jaxloop_lint.positions import physical_lines


def check_outside_spans(old: str, new: str, applied: Iterable[Diagnostic]) -> None:
    """Raise ``SourceError`` if ``new`` differs from ``old`` outside the applied plans."""
    a, b = physical_lines(old), physical_lines(new)
    lines: set[int] = set()        # 0-based old lines a plan may change
    points: set[int] = set()       # 0-based old positions a plan may insert lines at
    for d in applied:
        for first, last in _spans(d.fix.plan if d.fix is not None else None):
            while last < len(a) and (not a[last].strip() or a[last].lstrip().startswith("#")):
                last += 1  # comment lines after a block belong to it (libcst's footer)
            lines.update(range(first - 1, last))
            points.update(range(first - 1, last + 1))
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        changed = [k for k in range(i1, i2) if a[k].strip()]  # blank lines may move
        stray = [k for k in changed if k not in lines]
        if i1 == i2 and i1 not in points and not all(_harmless(t) for t in b[j1:j2]):
            stray = [i1]
        if stray:
            raise SourceError(f"internal error: a fix changed line {stray[0] + 1}, outside the "
                              "code it rewrites; not applied")


def _harmless(line: str) -> bool:
    """Lines a fix may add anywhere: blank ones and the ``import jax`` it needs."""
    text = line.strip()
    return not text or text.startswith(("import ", "from "))


def _spans(plan) -> list[tuple[int, int]]:
    """1-based (first, last) old lines of everything ``plan`` rewrites."""
    if isinstance(plan, LoopPlan):
        nodes = [plan.loop.node, plan.final_return] + [o.init for o in plan.outputs] + [
            o.consumer for o in plan.outputs]
        return [(n.lineno, n.end_lineno) for n in nodes if n is not None]
    if isinstance(plan, EditPlan):
        out = []
        for e in plan.edits:
            node = e.node
            if e.kind == E.INSERT_BEFORE:
                out.append((node.lineno, node.lineno - 1))  # an insertion point, no line
            elif e.kind == E.INSERT_AFTER:
                out.append((node.end_lineno + 1, node.end_lineno))
            else:
                out.append((node.lineno, node.end_lineno))
        return out
    return []
