"""A minimal LSP client for the tests: raw JSON-RPC over the server's stdin / stdout, and
applying the server's edits the way an editor does (positions in UTF-16 code units)."""
from __future__ import annotations

import json
import queue
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any, Optional

TIMEOUT = 60


class Client:
    def __init__(self, cwd: Path) -> None:
        self.proc = subprocess.Popen([sys.executable, "-m", "fixers.lsp"], cwd=cwd,
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=subprocess.PIPE)
        self.messages: queue.Queue = queue.Queue()
        self.next_id = 0
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        out = self.proc.stdout
        while True:
            headers = {}
            while True:
                line = out.readline()
                if not line:
                    return
                if line in (b"\r\n", b"\n"):
                    break
                key, _, value = line.decode("ascii").partition(":")
                headers[key.strip().lower()] = value.strip()
            self.messages.put(json.loads(out.read(int(headers["content-length"]))))

    def send(self, message: dict) -> None:
        body = json.dumps({"jsonrpc": "2.0", **message}).encode("utf-8")
        self.proc.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.proc.stdin.flush()

    def notify(self, method: str, params: Any) -> None:
        self.send({"method": method, "params": params})

    def request(self, method: str, params: Any) -> Any:
        self.next_id += 1
        self.send({"id": self.next_id, "method": method, "params": params})
        reply = self.wait(lambda m: m.get("id") == self.next_id and "method" not in m)
        assert "error" not in reply, reply
        return reply["result"]

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

    def initialize(self, root: Path) -> dict:
        result = self.request("initialize", {"processId": None, "rootUri": root.as_uri(),
                                             "capabilities": {}})
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
        params = self.wait(lambda m: m.get("method") == "textDocument/publishDiagnostics"
                           and m["params"]["uri"] == path.as_uri())["params"]
        return params["diagnostics"]

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


def apply_action(text: str, action: dict, uri: str) -> str:
    return apply_edits(text, action["edit"]["changes"][uri])
