"""A minimal LSP client for the tests: raw JSON-RPC over the server's stdin / stdout, and
applying the server's edits the way an editor does (positions in UTF-16 code units)."""
from __future__ import annotations

import contextlib
import json
import queue
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any, Iterator, Optional, Sequence

TIMEOUT = 60

# What an editor that applies versioned edits says it supports (VS Code, Neovim, Helix do).
VERSIONED_EDITS = {"workspace": {"workspaceEdit": {"documentChanges": True}}}
# ... and one that also fetches a code action's edit when it is chosen (VS Code, Neovim).
EDITOR = {"workspace": {"workspaceEdit": {"documentChanges": True}, "applyEdit": True},
          "textDocument": {"codeAction": {"resolveSupport": {"properties": ["edit"]}}}}


class Client:
    def __init__(self, cwd: Path, command: Optional[Sequence[str]] = None,
                 env: Optional[dict] = None) -> None:
        self.proc = subprocess.Popen(list(command or [sys.executable, "-m", "fixers.lsp"]),
                                     cwd=cwd, env=env, stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        self.messages: queue.Queue = queue.Queue()
        self.next_id = 0
        self.stderr: list[bytes] = []  # drained, so a chatty server never blocks on a full pipe
        threading.Thread(target=self._read, daemon=True).start()
        threading.Thread(target=self._drain_stderr, daemon=True).start()

    def _drain_stderr(self) -> None:
        try:
            for line in self.proc.stderr:
                self.stderr.append(line)
        except (OSError, ValueError):  # closed by close()
            pass

    def _read(self) -> None:
        out = self.proc.stdout
        while True:
            headers = {}
            while True:
                try:
                    line = out.readline()
                except (OSError, ValueError):  # closed by close()
                    return
                if not line:
                    return
                if line in (b"\r\n", b"\n"):
                    break
                key, _, value = line.decode("ascii").partition(":")
                headers[key.strip().lower()] = value.strip()
            self.messages.put(json.loads(out.read(int(headers["content-length"]))))

    def send(self, message: dict) -> None:
        self.send_raw(frame({"jsonrpc": "2.0", **message}))

    def send_raw(self, data: bytes) -> None:
        """Bytes as they are: several messages in one write arrive together."""
        self.proc.stdin.write(data)
        self.proc.stdin.flush()

    def notify(self, method: str, params: Any) -> None:
        self.send({"method": method, "params": params})

    def request(self, method: str, params: Any) -> Any:
        reply = self.reply(self.send_request(method, params))
        assert "error" not in reply, reply
        return reply["result"]

    def send_request(self, method: str, params: Any) -> int:
        """Send a request without waiting: its id."""
        self.next_id += 1
        self.send({"id": self.next_id, "method": method, "params": params})
        return self.next_id

    def reply(self, request_id: Any, timeout: float = TIMEOUT) -> dict:
        """The reply to ``request_id``, result or error."""
        return self.wait(lambda m: m.get("id") == request_id and "method" not in m, timeout)

    def wait(self, match, timeout: float = TIMEOUT) -> dict:
        """The next message ``match`` accepts; requests from the server are answered."""
        while True:
            message = self.messages.get(timeout=timeout)
            if "id" in message and "method" in message:  # e.g. client/registerCapability
                self.send({"id": message["id"], "result": None})
            if match(message):
                return message

    def notification(self, method: str, timeout: float = TIMEOUT) -> dict:
        return self.wait(lambda m: m.get("method") == method, timeout)["params"]

    def initialize(self, root: Path, capabilities: Optional[dict] = None) -> dict:
        result = self.request("initialize", {"processId": None, "rootUri": root.as_uri(),
                                             "capabilities": capabilities or {}})
        self.notify("initialized", {})
        return result

    def open(self, path: Path, text: str, version: int = 1) -> list[dict]:
        self.notify("textDocument/didOpen", {"textDocument": {
            "uri": path.as_uri(), "languageId": "python", "version": version, "text": text}})
        return self.diagnostics(path)

    def change(self, path: Path, text: str, version: int) -> list[dict]:
        self.notify("textDocument/didChange", {
            "textDocument": {"uri": path.as_uri(), "version": version},
            "contentChanges": [{"text": text}]})
        return self.diagnostics(path)

    def diagnostics(self, path: Path) -> list[dict]:
        return self.published(path)["diagnostics"]

    def published(self, path: Path, timeout: float = TIMEOUT) -> dict:
        """The next publishDiagnostics for ``path``: uri, version, diagnostics."""
        return self.wait(lambda m: m.get("method") == "textDocument/publishDiagnostics"
                         and m["params"]["uri"] == path.as_uri(), timeout)["params"]

    def code_actions(self, path: Path, line0: int, only: Optional[list[str]] = None,
                     diagnostics: Optional[list] = None) -> list[dict]:
        context: dict = {"diagnostics": diagnostics or []}
        if only is not None:
            context["only"] = only
        return self.request("textDocument/codeAction", {
            "textDocument": {"uri": path.as_uri()},
            "range": {"start": {"line": line0, "character": 0},
                      "end": {"line": line0, "character": 0}},
            "context": context})

    def close(self) -> None:
        try:
            self.request("shutdown", None)
            self.notify("exit", None)
            self.proc.wait(timeout=TIMEOUT)
        finally:
            if self.proc.poll() is None:
                self.proc.kill()
            for stream in (self.proc.stdin, self.proc.stdout, self.proc.stderr):
                stream.close()


@contextlib.contextmanager
def session(root: Path, capabilities: Optional[dict] = None,
            command: Optional[Sequence[str]] = None) -> Iterator[Client]:
    """A server started in ``root`` (made a project: it holds ``.git``) and initialized; shut
    down and ended after."""
    (root / ".git").mkdir(exist_ok=True)
    client = Client(root, command)
    try:
        client.initialize(root, capabilities)
        yield client
    finally:
        client.close()


def frame(message: dict) -> bytes:
    """``message`` with its header, as the base protocol frames it."""
    body = json.dumps(message).encode("utf-8")
    return b"Content-Length: %d\r\n\r\n" % len(body) + body


def _offset(text: str, position: dict) -> int:
    """An LSP position (0-based line, UTF-16 column) as an index into ``text``."""
    lines = text.splitlines(True)
    line = position["line"]
    start = sum(len(x) for x in lines[:line])
    if line >= len(lines):
        return len(text)
    units = lines[line].encode("utf-16-le")[:2 * position["character"]]
    return start + len(units.decode("utf-16-le"))


def apply_edits(text: str, edits: list[dict]) -> str:
    """What an editor does with a list of non-overlapping TextEdits."""
    spans = sorted(((_offset(text, e["range"]["start"]), _offset(text, e["range"]["end"]),
                     e["newText"]) for e in edits), reverse=True)
    for start, end, new in spans:
        text = text[:start] + new + text[end:]
    return text


def apply_action(text: str, action: dict, uri: str, version: Optional[int] = None) -> str:
    """``action``'s edit to ``uri``, as an editor applies it: a versioned edit only to the
    version it was made for (``version``: the editor's current one)."""
    edit = action["edit"]
    if "documentChanges" in edit:
        (change,) = [c for c in edit["documentChanges"] if c["textDocument"]["uri"] == uri]
        made_for = change["textDocument"]["version"]
        if made_for is not None and version is not None and made_for != version:
            raise StaleEdit(f"edit for version {made_for}, document at {version}")
        return apply_edits(text, change["edits"])
    return apply_edits(text, edit["changes"][uri])


class StaleEdit(Exception):
    """An editor refuses a versioned edit made for another version of the document."""
