"""Render EditPlans: find each edit's node by its position and replace it, or insert statements
around it. A plan whose edits do not all land (a node libcst spans differently, a statement on
a one-line suite) is dropped whole: half a fix is never written."""
from __future__ import annotations

from collections import Counter, defaultdict
from typing import Optional, Sequence

import libcst as cst
from libcst.metadata import MetadataWrapper, PositionProvider

from jaxloop_lint.analysis.plans import edits as E
from jaxloop_lint.analysis.plans import EditPlan
from jaxloop_lint.positions import physical_lines

from .comments import comments
from .positions import Span, cst_pos, cst_span, node_span


def render_edit_plans(source: str, plans: Sequence[EditPlan]) -> tuple[str, list[EditPlan]]:
    """Apply every plan that can be applied whole; return (new source, the plans applied)."""
    plans = _without_conflicts(plans)
    module = cst.parse_module(source)
    lines = physical_lines(source)
    while plans:
        transformer = _Apply(plans, lines)
        new = MetadataWrapper(module).visit(transformer)
        incomplete = [p for i, p in enumerate(plans) if transformer.landed[i] != len(p.edits)]
        if not incomplete:
            return new.code, list(plans)
        plans = [p for p in plans if p not in incomplete]
    return source, []


def _without_conflicts(plans: Sequence[EditPlan]) -> list[EditPlan]:
    """Two plans that replace the same node: the first wins, the other waits for a next round."""
    taken: set[int] = set()
    out = []
    for plan in plans:
        mine = {id(e.node) for e in plan.edits if e.kind in (E.REPLACE_EXPR, E.REPLACE_STMT,
                                                              E.RENAME_PARAM)}
        if mine & taken:
            continue
        taken |= mine
        out.append(plan)
    return out


class _Apply(cst.CSTTransformer):
    METADATA_DEPENDENCIES = (PositionProvider,)

    def __init__(self, plans: Sequence[EditPlan], lines) -> None:
        super().__init__()
        self.lines = lines
        self.landed: Counter = Counter()
        self.exprs: dict[Span, tuple[int, E.Edit]] = {}
        self.stmts: dict[Span, tuple[int, E.Edit]] = {}
        self.params: dict[tuple[int, int], tuple[int, str]] = {}
        self.around: dict[tuple[int, int], list[tuple[int, str, str]]] = defaultdict(list)
        self.prepend: dict[tuple[int, str], list[tuple[int, str]]] = defaultdict(list)
        # Statements that get neighbours, by id of the updated node (kept alive in ``keep``).
        self.pending: dict[int, list[tuple[int, str, str]]] = {}
        self.keep: list[cst.CSTNode] = []
        # The original expressions edits repeat (``Source``): their nodes after the edits inside
        # them, recorded as the traversal leaves them (always before the edit that repeats them).
        self.wanted: set[Span] = set()
        self.seen: dict[Span, cst.CSTNode] = {}
        # Comments inside replaced code that no repeated expression carries: they go above the
        # statement that held them. The statements being visited, innermost last.
        self.statements: list[cst.CSTNode] = []
        self.moved: dict[int, list[cst.EmptyLine]] = {}
        for i, plan in enumerate(plans):
            for e in plan.edits:
                self.wanted.update(cst_span(lines, n) for n in E.sources(e.code))
                if e.kind == E.REPLACE_EXPR:
                    self.exprs[cst_span(lines, e.node)] = (i, e)
                elif e.kind == E.REPLACE_STMT:
                    self.stmts[cst_span(lines, e.node)] = (i, e)
                elif e.kind == E.RENAME_PARAM:
                    self.params[cst_pos(lines, e.node)] = (i, _generated(e.code))
                elif e.kind in (E.INSERT_BEFORE, E.INSERT_AFTER):
                    self.around[cst_pos(lines, e.node)].append((i, e.kind, _generated(e.code)))
                elif e.kind == E.DELETE_STMT:
                    self.around[cst_pos(lines, e.node)].append((i, e.kind, ""))
                elif e.kind == E.PREPEND_BODY:
                    self.prepend[(e.node.lineno, e.node.name)].append((i, _generated(e.code)))
                else:  # pragma: no cover
                    raise ValueError(e.kind)

    def _range(self, node) -> Span:
        r = self.get_metadata(PositionProvider, node)
        return (r.start.line, r.start.column), (r.end.line, r.end.column)

    def _code(self, edit: E.Edit, own: cst.CSTNode) -> Optional[str]:
        """The edit's code, with each original expression written from its libcst node (the
        edit's own node as it is before the edit); None if one cannot be found."""
        parts = []
        for piece in edit.code:
            if isinstance(piece, str):
                parts.append(piece)
                continue
            node = piece.node if isinstance(piece, E.Source) else piece.target
            found = own if node is edit.node else self.seen.get(cst_span(self.lines, node))
            if found is None:
                return None
            if isinstance(piece, E.AtIndex):  # x[i] -> x.at[i]
                if not isinstance(found, cst.Subscript):
                    return None
                found = found.with_changes(value=cst.Attribute(found.value, cst.Name("at")))
            parts.append(_CODE(found))
        return "".join(parts)

    def _replace(self, plan: int, edit: E.Edit, updated, parse):
        text = self._code(edit, updated)
        if text is None:
            return updated  # the plan does not land whole, and is dropped
        self.landed[plan] += 1
        kept = {id(c) for n in E.sources(edit.code) for c in comments(
            updated if n is edit.node else self.seen.get(cst_span(self.lines, n)))}
        lost = [cst.EmptyLine(comment=c) for c in comments(updated) if id(c) not in kept]
        if lost and self.statements:
            self.moved.setdefault(id(self.statements[-1]), []).extend(lost)
        return parse(text)

    def on_visit(self, node) -> bool:
        if isinstance(node, (cst.SimpleStatementLine, cst.BaseCompoundStatement)):
            self.statements.append(node)
        return super().on_visit(node)

    def on_leave(self, original, updated):
        if isinstance(original, cst.BaseCompoundStatement):
            self.statements.pop()
            updated = self._with_moved(original, updated)
        elif isinstance(original, cst.SimpleStatementLine):
            self.statements.pop()  # its moved comments are added in leave_SimpleStatementLine
        updated = super().on_leave(original, updated)
        if isinstance(original, cst.BaseExpression):
            span = node_span(self._range_of, original)
            hit = self.exprs.pop(span, None) if self.exprs else None
            if hit is not None:
                plan, edit = hit
                updated = self._replace(plan, edit, updated, cst.parse_expression)
            if span in self.wanted:
                self.seen[span] = updated
        elif isinstance(original, cst.BaseSmallStatement) and self.stmts:
            hit = self.stmts.pop(self._range(original), None)
            if hit is not None:
                plan, edit = hit
                updated = self._replace(plan, edit, updated,
                                        lambda text: cst.parse_statement(text + "\n").body[0])
        elif isinstance(original, cst.Param) and self.params:
            hit = self.params.pop(self._range(original)[0], None)
            if hit is not None:
                plan, name = hit
                self.landed[plan] += 1
                return updated.with_changes(name=cst.Name(name), annotation=None)
        return updated

    def _range_of(self, node):
        return self.get_metadata(PositionProvider, node)

    def _with_moved(self, original, updated):
        lost = self.moved.pop(id(original), None)
        if lost:
            updated = updated.with_changes(leading_lines=list(updated.leading_lines) + lost)
        return updated

    def leave_SimpleStatementLine(self, original, updated):
        updated = self._with_moved(original, updated)
        found = self.around.pop(self._range(original.body[0])[0], None)
        if found and any(kind == E.DELETE_STMT for _p, kind, _t in found) \
                and len(original.body) != 1:
            found = [f for f in found if f[1] != E.DELETE_STMT]  # not alone: never lands
        if found:
            self.pending[id(updated)] = found
            self.keep.append(updated)
        return updated

    def leave_FunctionDef(self, original, updated):
        line = self.get_metadata(PositionProvider, original.name).start.line
        found = self.prepend.pop((line, original.name.value), None)
        if not found or not isinstance(updated.body, cst.IndentedBlock):
            return updated
        body = list(updated.body.body)
        at = 1 if body and _is_docstring(body[0]) else 0
        new = []
        for plan, text in found:
            self.landed[plan] += 1
            new += _statements(text)
        return updated.with_changes(body=updated.body.with_changes(
            body=body[:at] + new + body[at:]))

    def _expand(self, updated):
        if not any(id(s) in self.pending for s in updated.body):
            return updated
        body, comments = [], []  # comments of a deleted line move to the next statement
        for stmt in updated.body:
            found = self.pending.get(id(stmt))
            if comments:
                lead = list(stmt.leading_lines)
                if comments[-1] is _NO_BLANKS:
                    comments = comments[:-1]
                    lead = [line for line in lead if line.comment is not None]
                stmt = stmt.with_changes(leading_lines=comments + lead)
                comments = []
            if not found:
                body.append(stmt)
                continue
            for plan, _kind, _text in found:
                self.landed[plan] += 1
            if any(kind == E.DELETE_STMT for _p, kind, _t in found):
                comments = [line for line in stmt.leading_lines if line.comment is not None]
                trailing = stmt.trailing_whitespace.comment
                if trailing is not None:
                    comments.append(cst.EmptyLine(comment=trailing))
                if not body:  # first in its block: no blank line may open the block
                    comments.append(_NO_BLANKS)
                continue
            # two bodies of one loop call hoisting the same read: write it once
            before = [s for text in dict.fromkeys(t for _p, k, t in found
                                                  if k == E.INSERT_BEFORE)
                      for s in _statements(text)]
            after = [s for text in dict.fromkeys(t for _p, k, t in found if k == E.INSERT_AFTER)
                     for s in _statements(text)]
            if before:  # the comments above the statement now sit above what goes first
                before[0] = before[0].with_changes(leading_lines=stmt.leading_lines)
                stmt = stmt.with_changes(leading_lines=[])
            body += before + [stmt] + after
        return updated.with_changes(body=body)

    def leave_IndentedBlock(self, original, updated):
        return self._expand(updated)

    def leave_Module(self, original, updated):
        return self._expand(updated)


_NO_BLANKS = cst.EmptyLine()  # a marker, never emitted
_CODE = cst.Module([]).code_for_node


def _generated(code: E.Code) -> str:
    """Code made only of generated text (inserted statements, new names)."""
    if not all(isinstance(p, str) for p in code):  # pragma: no cover - planner contract
        raise ValueError("inserted code may not repeat original expressions")
    return "".join(code)


def _statements(text: str) -> list[cst.BaseStatement]:
    return list(cst.parse_module(text + "\n").body)


def _is_docstring(stmt) -> bool:
    return isinstance(stmt, cst.SimpleStatementLine) and len(stmt.body) == 1 \
        and isinstance(stmt.body[0], cst.Expr) and isinstance(stmt.body[0].value,
                                                              (cst.SimpleString,
                                                               cst.ConcatenatedString))
