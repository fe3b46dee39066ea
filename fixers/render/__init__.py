"""Turn the plans the analysis computed into code, with libcst, in one pass over the file.

A renderer never decides whether a rewrite is safe: it renders the plan it is given. Plans point
at ast nodes; their positions (1-based lines, UTF-8 byte columns) are converted here, once, to
libcst's (character columns) and matched against libcst's PositionProvider.
"""
from __future__ import annotations

from typing import Optional, Sequence

import libcst as cst
from libcst.codemod import CodemodContext
from libcst.codemod.visitors import AddImportsVisitor
from libcst.metadata import MetadataWrapper, PositionProvider

from jaxloop_lint import Diagnostic
from jaxloop_lint.analysis.plans import EditPlan
from jaxloop_lint.analysis.plans import LoopPlan
from jaxloop_lint.positions import physical_lines

from .blocks import statement_nodes
from .comments import comments
from .edits import render_edit_plans
from .loops import consumer_text, guard_text, named_nodes, render_loop
from .naming import Names
from .positions import Originals, Pos, Span, cst_pos, cst_span, node_span


def render_fixes(source: str, diagnostics: Sequence[Diagnostic],
                 names: Optional[Names] = None) -> tuple[str, list[Diagnostic]]:
    """Apply the fixes of ``diagnostics``; return (new source, the diagnostics applied).
    ``names``: the names taken, when ``source`` is part of a module (``window``).

    Plans whose loops overlap are applied outermost first; the inner ones are left for the next
    round (the caller re-lints the result), when they sit inside the new step function.
    """
    # Local edits first (``x[i] = v`` inside a loop blocks the loop's rewrite until it is
    # ``x = x.at[i].set(v)``); the loops follow in the next round, on the re-linted result.
    edit_plans = list({id(d.fix.plan): d.fix.plan for d in diagnostics
                       if d.fix is not None and isinstance(d.fix.plan, EditPlan)}.values())
    if edit_plans:
        new, done = render_edit_plans(source, edit_plans)
        if done:
            ids = {id(p) for p in done}
            return new, [d for d in diagnostics if d.fix is not None and id(d.fix.plan) in ids]
    lines = physical_lines(source)
    plans: dict[Pos, LoopPlan] = {}
    for d in diagnostics:
        plan = d.fix.plan if d.fix is not None else None
        if isinstance(plan, LoopPlan):
            plans.setdefault(cst_pos(lines, plan.loop.node), plan)
    chosen = _outermost(list(plans.values()))
    if not chosen:
        return source, []
    module = cst.parse_module(source)
    names = names or Names(source)
    wrapper = MetadataWrapper(module)
    originals = Originals(wrapper, lines, [n for p in chosen for n in named_nodes(p)])
    # A plan naming a node libcst spans differently is left for no one: never half a rewrite.
    chosen = [p for p in chosen if all(originals.has(n) for n in named_nodes(p))]
    if not chosen:
        return source, []
    transformer = _Apply({cst_pos(lines, p.loop.node): p for p in chosen}, lines, names,
                         originals)
    new_module = wrapper.visit(transformer)
    if transformer.needs_jax_import:
        context = CodemodContext()
        AddImportsVisitor.add_needed_import(context, "jax")
        new_module = AddImportsVisitor(context).transform_module(new_module)
    applied_loops = {id(p.loop) for p in transformer.applied}
    applied = [d for d in diagnostics if d.fix is not None
               and isinstance(d.fix.plan, LoopPlan) and id(d.fix.plan.loop) in applied_loops]
    return new_module.code, applied


def _outermost(plans: list[LoopPlan]) -> list[LoopPlan]:
    def span(p):
        n = p.loop.node
        return (n.lineno, n.col_offset), (n.end_lineno, n.end_col_offset)

    out = []
    for plan in sorted(plans, key=span):
        start, end = span(plan)
        if not any(span(o)[0] <= start and end <= span(o)[1] for o in out):
            out.append(plan)
    return out


class _Apply(cst.CSTTransformer):
    METADATA_DEPENDENCIES = (PositionProvider,)

    def __init__(self, plans: dict[Pos, LoopPlan], lines, names: Names,
                 originals: Originals) -> None:
        super().__init__()
        self.plans = plans
        self.lines = lines
        self.names = names
        self.originals = originals
        self.applied: list[LoopPlan] = []
        self.needs_jax_import = False
        # Statements to delete (``outs = []``) and calls to replace (``jnp.stack(outs)``).
        self.removals: set[Pos] = set()
        # The ``outs = []`` lines to drop. The nodes are kept alive here: ids of freed nodes are
        # reused by CPython for nodes built later in the same traversal.
        self.removed: dict[int, cst.CSTNode] = {}
        # The statements a rewrite put in (kept alive for the same reason).
        self.generated: dict[int, cst.CSTNode] = {}
        self.scopes: dict[int, Names] = {}
        self.consumers: dict[Span, str] = {}
        # Comments inside a replaced ``jnp.stack(\n outs,  # why\n)`` go above the statement
        # that held the call: the statements being visited, innermost last, and their comments.
        self.statements: list[cst.CSTNode] = []
        self.moved_comments: dict[int, list[cst.EmptyLine]] = {}
        # operands of singular operations in masked steps: ``jnp.where(<mask>, 1, z)``
        self.guards: dict[Span, tuple[LoopPlan, object]] = {}
        for plan in plans.values():
            for guard in plan.guards:
                self.guards[cst_span(lines, guard.node)] = (plan, guard)
            if plan.final_return is not None:  # becomes part of the rewrite's own return
                self.removals.add(cst_pos(lines, plan.final_return))
            for out in plan.outputs:
                self.removals.add(cst_pos(lines, out.init))
                self.consumers[cst_span(lines, out.consumer)] = consumer_text(plan, out)

    def _at(self, node: cst.CSTNode) -> Pos:
        start = self.get_metadata(PositionProvider, node).start
        return start.line, start.column

    def _loop(self, original, updated):
        plan = self.plans.get(self._at(original))
        if plan is None:
            return updated
        body_positions = [self._at(s) for s in statement_nodes(original.body)]
        scope = self.scopes.setdefault(id(plan.function), self.names.scope())
        result = render_loop(plan, original, updated, body_positions, self.lines, scope,
                             self.originals)
        self.needs_jax_import |= result.needs_jax_import
        self.applied.append(plan)
        self.generated.update((id(n), n) for n in result.statements)
        return cst.FlattenSentinel(result.statements)

    def leave_For(self, original, updated):
        return self._loop(original, updated)

    def leave_While(self, original, updated):
        return self._loop(original, updated)

    def on_visit(self, node) -> bool:
        if isinstance(node, (cst.SimpleStatementLine, cst.BaseCompoundStatement)):
            self.statements.append(node)
        return super().on_visit(node)

    def on_leave(self, original, updated):
        if self.guards and isinstance(original, cst.BaseExpression):
            found = self.guards.get(node_span(
                lambda n: self.get_metadata(PositionProvider, n), original))
            if found is not None:
                updated = cst.parse_expression(guard_text(*found, updated))
        if isinstance(original, (cst.SimpleStatementLine, cst.BaseCompoundStatement)):
            self.statements.pop()
            moved = self.moved_comments.pop(id(original), None)
            if moved and isinstance(updated, (cst.SimpleStatementLine,
                                              cst.BaseCompoundStatement)):
                updated = updated.with_changes(leading_lines=list(updated.leading_lines)
                                               + moved)
        return super().on_leave(original, updated)

    def leave_SimpleStatementLine(self, original, updated):
        if self._at(original) in self.removals and len(updated.body) == 1:
            self.removed[id(updated)] = updated  # dropped by its block, which keeps comments
        return updated

    def _drop_removed(self, updated):
        """Remove ``outs = []`` lines; their comment lines move to the next statement (a removed
        last statement's, above the statement before it)."""
        if not any(id(s) in self.removed for s in updated.body):
            return updated
        body, pending = [], []
        for stmt in updated.body:
            if id(stmt) in self.removed:
                pending += [line for line in stmt.leading_lines if line.comment is not None]
                if stmt.trailing_whitespace.comment is not None:  # ``outs = []  # states``
                    pending.append(cst.EmptyLine(comment=stmt.trailing_whitespace.comment))
                continue
            if pending:
                lead = list(stmt.leading_lines)
                blanks = 0
                while blanks < len(lead) and lead[blanks].comment is None:
                    blanks += 1
                stmt = stmt.with_changes(leading_lines=lead[:blanks] + pending + lead[blanks:])
                pending = []
            body.append(stmt)
        if pending and body:  # the final ``return`` the rewrite's own return took over
            body[-1] = body[-1].with_changes(leading_lines=list(body[-1].leading_lines) + pending)
        return updated.with_changes(body=body)

    def leave_IndentedBlock(self, original, updated):
        updated = self._drop_removed(updated)
        first = updated.body[0] if updated.body else None
        if id(first) in self.generated and first.leading_lines \
                and first.leading_lines[0].comment is None:
            # The blank line put before a step def (E306) is not wanted where the def opens
            # its block: black and pycodestyle's E303 allow none right after ``def f():``.
            updated = updated.with_changes(body=[first.with_changes(
                leading_lines=first.leading_lines[1:])] + list(updated.body[1:]))
        return updated

    def leave_Module(self, original, updated):
        return self._drop_removed(updated)

    def leave_Call(self, original, updated):
        where = self.get_metadata(PositionProvider, original)
        span = (where.start.line, where.start.column), (where.end.line, where.end.column)
        if span in self.consumers:
            moved = [cst.EmptyLine(comment=c) for c in comments(original)]
            if moved:
                self.moved_comments.setdefault(id(self.statements[-1]), []).extend(moved)
            return cst.parse_expression(self.consumers[span])
        return updated
