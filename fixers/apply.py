"""Apply a file's fixes: lint with the shared core, keep the findings the user asked for, render
their plans with libcst in one pass, re-parse, and repeat until nothing more applies (a rewritten
outer loop can expose an inner one)."""
from __future__ import annotations

import ast
from dataclasses import dataclass, field
from typing import Optional, Sequence

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
             ignore: Sequence[str]) -> list[Diagnostic]:
    """The core's diagnostics, filtered by --select / --ignore and ``# noqa``."""
    lines = physical_lines(source)
    return [d for d in lint_source(source, path, config)
            if selected(d.code, select, ignore) and not is_suppressed(d.code, d.line, lines)]


def fix_source(source: str, path: str = "<string>", *, config: Optional[Config] = None,
               unsafe: bool = False, select: Sequence[str] = (),
               ignore: Sequence[str] = (), only: Optional[Diagnostic] = None) -> FileFix:
    """Fix one file's text. Raises ``SourceError`` for input that cannot be analysed.

    ``only``: apply just that finding's fix (matched by code and position), in one round.
    """
    from .render import render_fixes  # libcst is imported only when a file has fixes

    result = FileFix(path, source, source)
    # An old-Mac file ends its lines with a lone \r, which libcst does not carry through: fix
    # it with \n (one character for one, so every position holds) and give \r back after.
    cr_only = "\r" in source and "\n" not in source
    current = source.replace("\r", "\n") if cr_only else source
    for _ in range(MAX_ROUNDS):
        diags = findings(current, path, config, select, ignore)
        todo = [d for d in diags if d.fix is not None and (
            d.fix.applicability is Applicability.SAFE or unsafe)]
        if only is not None:
            todo = [d for d in todo if (d.code, d.line, d.col) == (only.code, only.line, only.col)]
        if not todo:
            result.remaining = diags
            break
        try:
            new, applied = render_fixes(current, todo)
        except RecursionError:  # libcst recurses on deep expressions that ast handles
            raise SourceError("too deeply nested for the rewriter (libcst); nothing fixed; "
                              "the findings stand") from None
        if not applied or new == current:
            result.remaining = diags
            break
        try:
            ast.parse(new)
        except SyntaxError as exc:  # never hand back code that does not parse
            raise SourceError(f"internal error: a fix produced invalid code ({exc.msg})") from None
        check_outside_spans(current, new, applied)
        result.applied.extend(applied)
        current = new
        if only is not None:
            result.remaining = findings(current, path, config, select, ignore)
            break
    else:
        result.remaining = findings(current, path, config, select, ignore)
    result.fixed = current.replace("\n", "\r") if cr_only else current
    return result
