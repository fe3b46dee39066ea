"""Apply a file's fixes: lint with the shared core, keep the findings the user asked for, render
their plans with libcst in one pass, re-parse, and repeat until nothing more applies (a rewritten
outer loop can expose an inner one)."""
from __future__ import annotations

import ast
from dataclasses import dataclass, field
from typing import Callable, Optional, Sequence

from jaxloop_lint import Config, Diagnostic, SourceError, lint_source
from jaxloop_lint.diagnostics import Applicability
from jaxloop_lint.noqa import is_suppressed
from jaxloop_lint.positions import physical_lines
from jaxloop_lint.selection import selected

from .spans import check_outside_spans

# A loop nest deeper than this is not rewritten in one run.
MAX_ROUNDS = 8


@dataclass
class FileFix:
    path: str
    original: str
    fixed: str
    applied: list[Diagnostic] = field(default_factory=list)
    remaining: list[Diagnostic] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return self.fixed != self.original


def findings(source: str, path: str, config: Optional[Config], select: Sequence[str],
             ignore: Sequence[str], stop: Optional[Callable[[], bool]] = None) -> list[Diagnostic]:
    """The core's diagnostics, filtered by --select / --ignore and ``# noqa``. ``stop``: see
    ``lint_source``."""
    lines = physical_lines(source)
    return [d for d in lint_source(source, path, config, stop)
            if selected(d.code, select, ignore) and not is_suppressed(d.code, d.line, lines)]


def fix_source(source: str, path: str = "<string>", *, config: Optional[Config] = None,
               unsafe: bool = False, select: Sequence[str] = (),
               ignore: Sequence[str] = (), only: Optional[Diagnostic] = None,
               first: Optional[Sequence[Diagnostic]] = None,
               stop: Optional[Callable[[], bool]] = None) -> FileFix:
    """Fix one file's text. Raises ``SourceError`` for input that cannot be analysed.

    ``only``: apply just that finding's fix (matched by code and position), in one round.
    ``first``: ``findings`` of ``source`` with these settings, already computed (the editor
    has them): the first round renders their plans instead of analysing the text again.
    ``stop``: see ``lint_source`` (the editor's text moved on: ``Cancelled``).
    """
    result = FileFix(path, source, source)
    cr_only = _cr_only(source)
    current = source.replace("\r", "\n") if cr_only else source
    for round_ in range(MAX_ROUNDS):
        diags = list(first) if first is not None and round_ == 0 else \
            findings(current, path, config, select, ignore, stop)
        todo = [d for d in diags if d.fix is not None and (
            d.fix.applicability is Applicability.SAFE or unsafe)]
        if only is not None:
            todo = [d for d in todo if (d.code, d.line, d.col) == (only.code, only.line, only.col)]
        if not todo:
            result.remaining = diags
            break
        new, applied = render_checked(current, todo)
        if not applied:
            result.remaining = diags
            break
        result.applied.extend(applied)
        current = new
        if only is not None:
            result.remaining = findings(current, path, config, select, ignore, stop)
            break
    else:
        result.remaining = findings(current, path, config, select, ignore, stop)
    result.fixed = current.replace("\n", "\r") if cr_only else current
    return result


def _cr_only(source: str) -> bool:
    """An old-Mac file ends its lines with a lone \\r, which libcst does not carry through: it
    is fixed with \\n (one character for one, so every position holds) and gets \\r back."""
    return "\r" in source and "\n" not in source


def render_checked(source: str, todo: Sequence[Diagnostic],
                   window: bool = False) -> tuple[str, list[Diagnostic]]:
    """One round: render the plans of ``todo`` (findings of ``source``) on ``source``. Returns
    the new text and the findings applied (none: the text is unchanged). Raises
    ``SourceError`` when the result would not parse or changed code outside the plans.
    ``window``: one finding, rendered on the top-level statement that holds it where that
    gives the same text (``render.window``)."""
    from .render import render_fixes  # libcst is imported only when a file has fixes
    from .render.window import render_window

    try:
        rendered = render_window(source, todo[0]) if window and len(todo) == 1 else None
        new, applied = rendered or render_fixes(source, todo)
    except RecursionError:  # libcst recurses on deep expressions that ast handles
        raise SourceError("too deeply nested for the rewriter (libcst); nothing fixed; "
                          "the findings stand") from None
    if not applied or new == source:
        return source, []
    try:
        ast.parse(new)
    except SyntaxError as exc:  # never hand back code that does not parse
        raise SourceError(f"internal error: a fix produced invalid code ({exc.msg})") from None
    check_outside_spans(source, new, applied)
    return new, applied


def fix_one(source: str, diagnostic: Diagnostic) -> Optional[str]:
    """``source`` with just ``diagnostic``'s fix applied, rendered from the plan it carries (the
    analysis of this very ``source``: nothing is analysed again); None when it has no plan or
    the renderer declines it. What ``fix_source(source, only=diagnostic)`` returns, minus two
    analyses. Raises ``SourceError`` like ``render_checked``."""
    if diagnostic.fix is None or diagnostic.fix.plan is None:
        return None
    cr_only = _cr_only(source)
    current = source.replace("\r", "\n") if cr_only else source
    new, applied = render_checked(current, [diagnostic], window=True)
    if not applied:
        return None
    return new.replace("\n", "\r") if cr_only else new
