"""``jaxloop-lsp``: the editor server (Language Server Protocol over stdio, with pygls).

* Diagnostics on open, change and save: rule code, message, severity (error for code that raises
  under jit, warning for a loop that unrolls) and a link to the rule's page.
* Code actions per finding: "Fix JXLnnn: <description>" (an unsafe fix says "(unsafe)" and is
  never preferred), and "Ignore JXLnnn on this line" (``# noqa: JXLnnn``, merged into an
  existing ``# noqa: X``).
* ``source.fixAll.jaxloop``: every safe fix in the file, as ``jaxloop-fix`` would apply them.
  Unsafe fixes are never part of it.

Settings come from ``[tool.jaxloop]`` (``jaxloop_lint.project_config``), found from the
document's path; ``# noqa`` is honoured as flake8 reads it. Positions go out in the encoding the
client and pygls agreed on (UTF-16 unless the client asks for another).
"""
from __future__ import annotations

import os
from typing import Optional, Sequence

from lsprotocol import types as lsp
from pygls.lsp.server import LanguageServer
from pygls.workspace import TextDocument

from jaxloop_lint import Diagnostic, SourceError, __version__
from jaxloop_lint.catalog import BY_CODE
from jaxloop_lint.diagnostics import Applicability
from jaxloop_lint.project_config import ConfigError

from . import apply as _apply
from .edits import TextEdit, fix_edit, minimal_edit, physical_lines
from .noqa_edit import noqa_edit
from .settings import FileSettings, Resolver

SOURCE = "jaxloop-lint"
FIX_ALL = "source.fixAll.jaxloop"


class JaxloopServer(LanguageServer):
    def __init__(self) -> None:
        super().__init__("jaxloop-lsp", __version__,
                         text_document_sync_kind=lsp.TextDocumentSyncKind.Incremental)
        self.reported_config_errors: set[str] = set()

    def settings(self, doc: TextDocument) -> Optional[FileSettings]:
        """``[tool.jaxloop]`` for ``doc`` (read anew when pyproject.toml changes); None and one
        message to the user when it is bad."""
        path = _path(doc)
        try:
            return Resolver((), (), (), False)(path, "" if doc.path else os.getcwd())
        except ConfigError as exc:
            if str(exc) not in self.reported_config_errors:
                self.reported_config_errors.add(str(exc))
                self.window_show_message(lsp.ShowMessageParams(lsp.MessageType.Error, str(exc)))
            return None


def _path(doc: TextDocument) -> str:
    return doc.path or os.path.join(os.getcwd(), doc.filename or "untitled.py")


class _Text:
    """A document's text as the core sees it: ``\\n`` line endings (CRLF restored in edits)."""

    def __init__(self, doc: TextDocument) -> None:
        self.doc = doc
        self.crlf = "\r\n" in doc.source
        self.text = doc.source.replace("\r\n", "\n") if self.crlf else doc.source
        self.lines = physical_lines(self.text)

    def position(self, line: int, col: int) -> lsp.Position:
        """(1-based line, character column) -> the client's position."""
        if line > len(self.lines):  # just past the end
            return lsp.Position(len(self.lines), 0)
        prefix = self.lines[line - 1].rstrip("\r\n")[:col]
        return lsp.Position(line - 1, self.doc.position_codec.client_num_units(prefix))

    def text_edit(self, edit: TextEdit) -> lsp.TextEdit:
        new_text = edit.new_text.replace("\n", "\r\n") if self.crlf else edit.new_text
        return lsp.TextEdit(lsp.Range(self.position(*edit.start), self.position(*edit.end)),
                            new_text)


def findings(text: _Text, settings: FileSettings) -> list[Diagnostic]:
    try:
        return _apply.findings(text.text, _path(text.doc), settings.config, settings.select,
                               settings.ignore)
    except SourceError:  # mid-edit code that does not parse: nothing to say yet
        return []


def to_lsp(text: _Text, d: Diagnostic) -> lsp.Diagnostic:
    rule = BY_CODE[d.code]
    # A loop's node spans its whole body: underline its first line only.
    end = (d.end_line, d.end_col) if d.end_line == d.line and d.end_col is not None \
        else (d.line, len(text.lines[d.line - 1].rstrip("\r\n")))
    return lsp.Diagnostic(
        range=lsp.Range(text.position(d.line, d.col), text.position(*end)),
        # The one line, then the detail: editors show the first line in lists, all in the hover.
        message=f"{d.message}\n{d.detail}" if d.detail else d.message, source=SOURCE, code=d.code,
        code_description=lsp.CodeDescription(href=rule.docs_url),
        severity=lsp.DiagnosticSeverity.Error if rule.raises else lsp.DiagnosticSeverity.Warning)


server = JaxloopServer()


def publish(ls: JaxloopServer, uri: str) -> None:
    doc = ls.workspace.get_text_document(uri)
    settings = ls.settings(doc)
    text = _Text(doc)
    diags = [to_lsp(text, d) for d in findings(text, settings)] if settings else []
    ls.text_document_publish_diagnostics(
        lsp.PublishDiagnosticsParams(uri=uri, version=doc.version, diagnostics=diags))


@server.feature(lsp.TEXT_DOCUMENT_DID_OPEN)
def did_open(ls: JaxloopServer, params: lsp.DidOpenTextDocumentParams) -> None:
    publish(ls, params.text_document.uri)


@server.feature(lsp.TEXT_DOCUMENT_DID_CHANGE)
def did_change(ls: JaxloopServer, params: lsp.DidChangeTextDocumentParams) -> None:
    publish(ls, params.text_document.uri)


@server.feature(lsp.TEXT_DOCUMENT_DID_SAVE)
def did_save(ls: JaxloopServer, params: lsp.DidSaveTextDocumentParams) -> None:
    publish(ls, params.text_document.uri)


@server.feature(lsp.TEXT_DOCUMENT_DID_CLOSE)
def did_close(ls: JaxloopServer, params: lsp.DidCloseTextDocumentParams) -> None:
    ls.text_document_publish_diagnostics(
        lsp.PublishDiagnosticsParams(uri=params.text_document.uri, diagnostics=[]))


@server.feature(lsp.TEXT_DOCUMENT_CODE_ACTION, lsp.CodeActionOptions(
    code_action_kinds=[lsp.CodeActionKind.QuickFix, FIX_ALL], resolve_provider=False))
def code_action(ls: JaxloopServer, params: lsp.CodeActionParams) -> list[lsp.CodeAction]:
    doc = ls.workspace.get_text_document(params.text_document.uri)
    settings = ls.settings(doc)
    if settings is None:
        return []
    text = _Text(doc)
    only = params.context.only
    actions: list[lsp.CodeAction] = []
    if _wanted(lsp.CodeActionKind.QuickFix, only):
        first, last = params.range.start.line + 1, params.range.end.line + 1
        for d in findings(text, settings):
            if first <= d.line <= last:
                actions.extend(quick_fixes(text, settings, d))
    if _wanted(FIX_ALL, only):
        action = fix_all(text, settings)
        if action is not None:
            actions.append(action)
    return actions


def _wanted(kind: str, only: Optional[Sequence[str]]) -> bool:
    """LSP kinds are hierarchical: asking for ``source.fixAll`` gets ``source.fixAll.jaxloop``."""
    return only is None or any(kind == k or kind.startswith(k + ".") for k in only)


def _action(text: _Text, title: str, kind: str, edit: TextEdit,
            diagnostic: Optional[Diagnostic] = None, preferred: bool = False) -> lsp.CodeAction:
    return lsp.CodeAction(
        title=title, kind=kind, is_preferred=preferred or None,
        diagnostics=[to_lsp(text, diagnostic)] if diagnostic is not None else None,
        edit=lsp.WorkspaceEdit(changes={text.doc.uri: [text.text_edit(edit)]}))


def quick_fixes(text: _Text, settings: FileSettings, d: Diagnostic) -> list[lsp.CodeAction]:
    actions = []
    if d.fix is not None:
        edit = fix_edit(text.text, _path(text.doc), d, config=settings.config,
                        select=settings.select, ignore=settings.ignore)
        if edit is not None:
            safe = d.fix.applicability is Applicability.SAFE
            title = f"Fix {d.code}: {d.fix.description}"
            if not safe and "(unsafe" not in title:  # most descriptions say why already
                title += " (unsafe)"
            actions.append(_action(text, title, lsp.CodeActionKind.QuickFix, edit, d,
                                   preferred=safe))
    ignore = noqa_edit(text.text, d.line, d.code)
    if ignore is not None:
        actions.append(_action(text, f"Ignore {d.code} on this line",
                               lsp.CodeActionKind.QuickFix, ignore, d))
    return actions


def fix_all(text: _Text, settings: FileSettings) -> Optional[lsp.CodeAction]:
    """Every safe fix, as ``jaxloop-fix`` without ``--unsafe-fixes`` applies them."""
    try:
        result = _apply.fix_source(text.text, _path(text.doc), config=settings.config,
                                   unsafe=False, select=settings.select, ignore=settings.ignore)
    except SourceError:
        return None
    edit = minimal_edit(text.text, result.fixed)
    if edit is None:
        return None
    return _action(text, f"Fix all safe jaxloop-lint findings ({len(result.applied)})",
                   FIX_ALL, edit)


def main() -> None:
    server.start_io()


if __name__ == "__main__":  # pragma: no cover
    main()
