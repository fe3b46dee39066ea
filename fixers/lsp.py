"""``jaxloop-lsp``: the editor server (Language Server Protocol over stdio, with pygls).

* Diagnostics on open, change and save: rule code, message, severity (error for code that raises
  under jit, warning for a loop that unrolls) and a link to the rule's page. Each is published
  with the document version it was computed for, and never once a newer version has arrived.
* Code actions per finding: "Fix JXLnnn: <description>" (an unsafe fix says "(unsafe)" and is
  never preferred), and "Ignore JXLnnn on this line" (``# noqa: JXLnnn``, merged into an
  existing ``# noqa: X``). A fix renders the plan of the published analysis: nothing is analysed
  again for it.
* ``source.fixAll.jaxloop``: every safe fix in the file, as ``jaxloop-fix`` would apply them.
  Unsafe fixes are never part of it. Asked for by kind (``only``), it comes with its edit. In a
  light bulb's list (no ``only``) it comes without, when the client can get it later: by
  ``codeAction/resolve``, or else by running the command ``jaxloop.fixAll``, which sends the
  edit with ``workspace/applyEdit``. The several analyses of a fix-all are paid only when it is
  chosen.
* Every edit names the document version it was made for (``documentChanges`` with a
  ``VersionedTextDocumentIdentifier``, where the client supports them), so an editor refuses it
  once the text has moved on; an action asked for a version that is replaced before it is ready
  gets ``ContentModified``.

Analyses run on a worker thread (``lsp_analyses``), the JSON-RPC transport and lifecycle are in
``lsp_rpc``. Settings come from ``[tool.jaxloop]`` (``jaxloop_lint.project_config``), found from
the document's path; ``# noqa`` is honoured as flake8 reads it. Positions go out in the encoding
the client and pygls agreed on (UTF-16 unless the client asks for another).
"""
from __future__ import annotations

import asyncio
import os
import sys
import threading
from dataclasses import dataclass, field
from typing import Any, Callable, Optional, Sequence, Union

from lsprotocol import types as lsp
from pygls.exceptions import JsonRpcContentModified
from pygls.lsp.server import LanguageServer
from pygls.uris import to_fs_path
from pygls.workspace.position_codec import PositionCodec

from jaxloop_lint import Diagnostic, SourceError, __version__
from jaxloop_lint.catalog import BY_CODE
from jaxloop_lint.core import Cancelled
from jaxloop_lint.diagnostics import Applicability
from jaxloop_lint.project_config import ConfigError

from . import apply as _apply
from .edits import TextEdit, fix_edit, minimal_edit, physical_lines
from .lsp_analyses import Analyses, DaemonExecutor, Snapshot, Superseded, quiet_gc
from .lsp_rpc import Protocol, serve
from .noqa_edit import noqa_edit
from .settings import FileSettings, Resolver

SOURCE = "jaxloop-lint"
FIX_ALL = "source.fixAll.jaxloop"
FIX_ALL_COMMAND = "jaxloop.fixAll"


class _Text:
    """A document's text as the core sees it: ``\\n`` line endings (CRLF restored in edits)."""

    def __init__(self, source: str, codec: PositionCodec) -> None:
        self.codec = codec
        self.crlf = "\r\n" in source
        self.text = source.replace("\r\n", "\n") if self.crlf else source
        self.lines = physical_lines(self.text)

    def position(self, line: int, col: int) -> lsp.Position:
        """(1-based line, character column) -> the client's position."""
        if line > len(self.lines):  # just past the end
            return lsp.Position(len(self.lines), 0)
        prefix = self.lines[line - 1].rstrip("\r\n")[:col]
        return lsp.Position(line - 1, self.codec.client_num_units(prefix))

    def text_edit(self, edit: TextEdit) -> lsp.TextEdit:
        new_text = edit.new_text.replace("\n", "\r\n") if self.crlf else edit.new_text
        return lsp.TextEdit(lsp.Range(self.position(*edit.start), self.position(*edit.end)),
                            new_text)


@dataclass(eq=False)
class Analysis:
    """One snapshot analysed: its findings (with their fix plans) and what was rendered of
    them so far."""

    snapshot: Snapshot
    path: str
    text: _Text
    settings: Optional[FileSettings]
    findings: list[Diagnostic]
    published: list[lsp.Diagnostic]
    edits: dict[int, Optional[TextEdit]] = field(default_factory=dict)  # id(finding) -> edit
    fix_all: Any = None  # (edit or None,) once computed

    @property
    def safe_fixes(self) -> int:
        return sum(d.fix is not None and d.fix.applicability is Applicability.SAFE
                   for d in self.findings)


class JaxloopServer(LanguageServer):
    def __init__(self) -> None:
        super().__init__("jaxloop-lsp", __version__, protocol_cls=Protocol,
                         text_document_sync_kind=lsp.TextDocumentSyncKind.Incremental)
        self.reported_config_errors: set[str] = set()
        # Quick fixes render on one thread (analyses wait for it between findings); a fix-all,
        # which analyses the file again each round, on another, so it holds up neither.
        self.requests = DaemonExecutor("jaxloop-lsp-requests")
        self.fix_alls = DaemonExecutor("jaxloop-lsp-fix-all")
        self.analyses = Analyses(self._analyse, self._publish, yield_to=self.requests.busy)
        self.protocol.on_shutdown = self.analyses.stop

    # -- analysis (worker thread) ---------------------------------------------------------

    def _analyse(self, snapshot: Snapshot, stop: Callable[[], bool]) -> Analysis:
        path = _path(snapshot.uri)
        text = _Text(snapshot.source, self.workspace.position_codec)
        settings = self._settings(path)
        found: list[Diagnostic] = []
        if settings is not None:
            try:
                found = _apply.findings(text.text, path, settings.config, settings.select,
                                        settings.ignore, stop)
            except SourceError:  # mid-edit code that does not parse: nothing to say yet
                pass
            except Cancelled:
                raise Superseded from None
        return Analysis(snapshot, path, text, settings, found,
                        [to_lsp(text, d) for d in found])

    def _settings(self, path: str) -> Optional[FileSettings]:
        """``[tool.jaxloop]`` for ``path`` (read anew each time: pyproject.toml may change);
        None and one message to the user when it is bad."""
        try:
            return Resolver((), (), (), False)(path)
        except ConfigError as exc:
            self.analyses.post(self._report_config_error, str(exc))
            return None

    def _report_config_error(self, message: str) -> None:
        if message not in self.reported_config_errors:
            self.reported_config_errors.add(message)
            self.window_show_message(lsp.ShowMessageParams(lsp.MessageType.Error, message))

    def _publish(self, analysis: Analysis) -> None:
        self.text_document_publish_diagnostics(lsp.PublishDiagnosticsParams(
            uri=analysis.snapshot.uri, version=analysis.snapshot.version,
            diagnostics=analysis.published))

    # -- requests (loop thread) ----------------------------------------------------------

    async def analysis(self, snapshot: Optional[Snapshot]) -> Optional[Analysis]:
        """The analysis of ``snapshot`` (None: the document is not open). Raises
        ``ContentModified`` if the text changes before it is ready."""
        if snapshot is None:
            return None
        try:
            return await self.analyses.analysis(snapshot)
        except Superseded:
            raise JsonRpcContentModified("Content Modified: the document changed") from None

    async def off_loop(self, analysis: Analysis, fn: Callable, *args,
                       executor: Optional[DaemonExecutor] = None) -> Any:
        """``fn(*args)`` on the request thread (or ``executor``'s); ``ContentModified`` if
        ``analysis`` is no longer the document's text when it is done."""
        executor = executor or self.requests
        result = await asyncio.wrap_future(executor.submit(fn, *args))
        if not self.analyses.is_current(analysis.snapshot):
            raise JsonRpcContentModified("Content Modified: the document changed")
        return result

    def workspace_edit(self, analysis: Analysis, edit: TextEdit) -> lsp.WorkspaceEdit:
        """``edit`` for the version it was made from: versioned where the client supports it."""
        text_edit = analysis.text.text_edit(edit)
        caps = self.client_capabilities.workspace
        if caps and caps.workspace_edit and caps.workspace_edit.document_changes:
            return lsp.WorkspaceEdit(document_changes=[lsp.TextDocumentEdit(
                text_document=lsp.OptionalVersionedTextDocumentIdentifier(
                    uri=analysis.snapshot.uri, version=analysis.snapshot.version),
                edits=[text_edit])])
        return lsp.WorkspaceEdit(changes={analysis.snapshot.uri: [text_edit]})

    def fix_all_later(self) -> Optional[str]:
        """How a light bulb's fix-all can defer its edit: "resolve" (the client asks for it
        with ``codeAction/resolve``), "command" (it runs ``FIX_ALL_COMMAND``, which sends the
        edit with ``workspace/applyEdit``), or None (computed with the action list)."""
        caps = self.client_capabilities
        code_action = caps.text_document and caps.text_document.code_action
        support = code_action and code_action.resolve_support
        if support and "edit" in support.properties:
            return "resolve"
        if caps.workspace and caps.workspace.apply_edit:
            return "command"
        return None


def _path(uri: str) -> str:
    return to_fs_path(uri) or os.path.join(os.getcwd(), "untitled.py")


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


def _document_changed(ls: JaxloopServer, uri: str) -> None:
    doc = ls.workspace.get_text_document(uri)
    ls.analyses.update(uri, doc.version, doc.source)


@server.feature(lsp.INITIALIZED)
def initialized(ls: JaxloopServer, params: lsp.InitializedParams) -> None:
    # The first quick fix should not wait for libcst to load.
    threading.Thread(target=_load_renderer, name="jaxloop-lsp-warm-up", daemon=True).start()


def _load_renderer() -> None:
    from .render import window  # noqa: F401  (and libcst with it)


@server.feature(lsp.TEXT_DOCUMENT_DID_OPEN)
def did_open(ls: JaxloopServer, params: lsp.DidOpenTextDocumentParams) -> None:
    _document_changed(ls, params.text_document.uri)


@server.feature(lsp.TEXT_DOCUMENT_DID_CHANGE)
def did_change(ls: JaxloopServer, params: lsp.DidChangeTextDocumentParams) -> None:
    _document_changed(ls, params.text_document.uri)


@server.feature(lsp.TEXT_DOCUMENT_DID_SAVE)
def did_save(ls: JaxloopServer, params: lsp.DidSaveTextDocumentParams) -> None:
    if ls.analyses.current(params.text_document.uri) is not None:  # [tool.jaxloop] may differ
        _document_changed(ls, params.text_document.uri)


@server.feature(lsp.TEXT_DOCUMENT_DID_CLOSE)
def did_close(ls: JaxloopServer, params: lsp.DidCloseTextDocumentParams) -> None:
    ls.analyses.close(params.text_document.uri)
    ls.text_document_publish_diagnostics(
        lsp.PublishDiagnosticsParams(uri=params.text_document.uri, diagnostics=[]))


@server.feature(lsp.TEXT_DOCUMENT_CODE_ACTION, lsp.CodeActionOptions(
    code_action_kinds=[lsp.CodeActionKind.QuickFix, FIX_ALL], resolve_provider=True))
def code_action(ls: JaxloopServer, params: lsp.CodeActionParams):
    # A request is about the text the editor had when it sent it: the snapshot is taken as the
    # request arrives (a generator handler runs at once, up to its ``yield``), before a change
    # sent after it is applied; the rest works on that snapshot.
    snapshot = ls.analyses.current(params.text_document.uri)
    return (yield _code_actions, (ls, params, snapshot), None)


async def _code_actions(ls: JaxloopServer, params: lsp.CodeActionParams,
                        snapshot: Optional[Snapshot]) -> list[lsp.CodeAction]:
    analysis = await ls.analysis(snapshot)
    if analysis is None or analysis.settings is None:
        return []
    only = params.context.only
    targets: list[Diagnostic] = []
    if _wanted(lsp.CodeActionKind.QuickFix, only):
        first, last = params.range.start.line + 1, params.range.end.line + 1
        targets = [d for d in analysis.findings if first <= d.line <= last]
    fix_all = None
    if _wanted(FIX_ALL, only) and analysis.safe_fixes:
        # Asked for by name (on save, "fix all"): computed now. From a light bulb: computed
        # when chosen, if the client has a way to ask for it then.
        fix_all = (None if only is not None else ls.fix_all_later()) or "now"
    if fix_all == "now":
        fix_all = await ls.off_loop(analysis, _fix_all_edit, ls, analysis,
                                    executor=ls.fix_alls)
    return await ls.off_loop(analysis, _actions, ls, analysis, targets, fix_all)


@server.feature(lsp.CODE_ACTION_RESOLVE)
def code_action_resolve(ls: JaxloopServer, action: lsp.CodeAction):
    data = action.data
    if action.kind != FIX_ALL or not isinstance(data, dict) or "uri" not in data:
        return action
    edit = yield _fix_all_of, (ls, ls.analyses.current(data["uri"]), data.get("version")), None
    action.edit = edit or lsp.WorkspaceEdit()
    return action


@server.command(FIX_ALL_COMMAND)
def fix_all_command(ls: JaxloopServer, uri: str, version: Optional[int]):
    edit = yield _fix_all_of, (ls, ls.analyses.current(uri), version), None
    if edit is not None:
        ls.workspace_apply_edit(lsp.ApplyWorkspaceEditParams(
            edit=edit, label="Fix all safe jaxloop-lint findings"))


async def _fix_all_of(ls: JaxloopServer, snapshot: Optional[Snapshot],
                      version: Optional[int]) -> Optional[lsp.WorkspaceEdit]:
    """The fix-all edit of ``snapshot``, which must be at ``version`` (else ContentModified)."""
    if snapshot is None or snapshot.version != version:
        raise JsonRpcContentModified("Content Modified: the document changed")
    analysis = await ls.analysis(snapshot)
    edit = await ls.off_loop(analysis, _fix_all_edit, ls, analysis, executor=ls.fix_alls)
    return ls.workspace_edit(analysis, edit) if edit is not None else None


def _wanted(kind: str, only: Optional[Sequence[str]]) -> bool:
    """LSP kinds are hierarchical: asking for ``source.fixAll`` gets ``source.fixAll.jaxloop``."""
    return only is None or any(kind == k or kind.startswith(k + ".") for k in only)


# -- on the request thread ----------------------------------------------------------------

def _actions(ls: JaxloopServer, analysis: Analysis, targets: list[Diagnostic],
             fix_all: Union[None, str, TextEdit]) -> list[lsp.CodeAction]:
    """The quick fixes of ``targets``, and the fix-all action: "resolve" or "command" (its
    edit comes later), or its edit (computed already)."""
    actions: list[lsp.CodeAction] = []
    for d in targets:
        if not ls.analyses.is_current(analysis.snapshot):
            return []  # the reply would be refused anyway: stop rendering
        actions.extend(_quick_fixes(ls, analysis, d))
    title = f"Fix all safe jaxloop-lint findings ({analysis.safe_fixes})"
    uri, version = analysis.snapshot.uri, analysis.snapshot.version
    if fix_all == "resolve":
        actions.append(lsp.CodeAction(title=title, kind=FIX_ALL,
                                      data={"uri": uri, "version": version}))
    elif fix_all == "command":
        actions.append(lsp.CodeAction(title=title, kind=FIX_ALL, command=lsp.Command(
            title=title, command=FIX_ALL_COMMAND, arguments=[uri, version])))
    elif isinstance(fix_all, TextEdit):
        actions.append(_action(ls, analysis, title, FIX_ALL, fix_all))
    return actions


def _action(ls: JaxloopServer, analysis: Analysis, title: str, kind: str, edit: TextEdit,
            diagnostic: Optional[Diagnostic] = None, preferred: bool = False) -> lsp.CodeAction:
    published = None
    if diagnostic is not None:
        published = [analysis.published[i] for i, d in enumerate(analysis.findings)
                     if d is diagnostic]
    return lsp.CodeAction(title=title, kind=kind, is_preferred=preferred or None,
                          diagnostics=published, edit=ls.workspace_edit(analysis, edit))


def _quick_fixes(ls: JaxloopServer, analysis: Analysis, d: Diagnostic) -> list[lsp.CodeAction]:
    actions = []
    edit = _fix_edit(analysis, d)
    if edit is not None:
        safe = d.fix.applicability is Applicability.SAFE
        title = f"Fix {d.code}: {d.fix.description}"
        if not safe and "(unsafe" not in title:  # most descriptions say why already
            title += " (unsafe)"
        actions.append(_action(ls, analysis, title, lsp.CodeActionKind.QuickFix, edit, d,
                               preferred=safe))
    ignore = noqa_edit(analysis.text.text, d.line, d.code)
    if ignore is not None:
        actions.append(_action(ls, analysis, f"Ignore {d.code} on this line",
                               lsp.CodeActionKind.QuickFix, ignore, d))
    return actions


def _fix_edit(analysis: Analysis, d: Diagnostic) -> Optional[TextEdit]:
    """``d``'s fix rendered from its plan, once per analysis."""
    if d.fix is None:
        return None
    if id(d) not in analysis.edits:
        try:
            analysis.edits[id(d)] = fix_edit(analysis.text.text, d)
        except SourceError:  # the renderer's guard refused it: no action rather than a bad one
            analysis.edits[id(d)] = None
    return analysis.edits[id(d)]


def _fix_all_edit(ls: JaxloopServer, analysis: Analysis) -> Optional[TextEdit]:
    """Every safe fix, as ``jaxloop-fix`` without ``--unsafe-fixes`` applies them; the first
    round renders the plans of this analysis, and a round stops at its next finding once the
    text has moved on. Computed once per analysis."""
    if analysis.fix_all is None:
        settings, text = analysis.settings, analysis.text.text
        try:
            result = _apply.fix_source(
                text, analysis.path, config=settings.config, unsafe=False,
                select=settings.select, ignore=settings.ignore, first=analysis.findings,
                stop=lambda: not ls.analyses.is_current(analysis.snapshot))
            analysis.fix_all = (minimal_edit(text, result.fixed),)
        except SourceError:
            analysis.fix_all = (None,)
        except Cancelled:
            return None  # the answer is ContentModified (``off_loop``): nothing to keep
    return analysis.fix_all[0]


def main() -> int:
    quiet_gc()
    code = serve(server.protocol)
    # End now: a daemon thread may be mid-analysis or blocked reading stdin, and the
    # interpreter's shutdown would wait on (or abort over) the locks they hold.
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
