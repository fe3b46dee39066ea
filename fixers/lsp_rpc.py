"""JSON-RPC over stdio for ``jaxloop-lsp``: message framing, replies to malformed input, and the
lifecycle the LSP specification sets. pygls dispatches the well-formed messages.

pygls's own stdio loop stops reading for good after a bad ``Content-Length`` and drops a body it
cannot parse without a reply; its ``exit`` always ends the process with 0. Here:

* A header block without a usable ``Content-Length`` (missing, not a number, over
  ``MAX_BODY``), or bytes that are not a header where one should be, get one ``ParseError``
  reply (id null); the reader then skips to the next ``Content-Length:`` it sees and goes on.
* A body that is not UTF-8 JSON gets ``ParseError``; JSON that is not a JSON-RPC message
  (not an object, wrong ``jsonrpc``, bad ``method`` / ``id`` / ``params`` types) gets
  ``InvalidRequest``; a known method's params of the wrong shape get ``InvalidParams``. Each
  reply carries the request's id when it has a usable one, else null; a notification gets none.
* Before ``initialize``, requests get ``ServerNotInitialized`` and notifications are dropped;
  after ``shutdown``, requests get ``InvalidRequest`` and notifications are dropped; ``exit``
  ends the process with 0 after ``shutdown``, 1 without it (also when stdin ends).
"""
from __future__ import annotations

import asyncio
import json
import logging
import sys
import threading
from dataclasses import dataclass
from typing import Any, BinaryIO, Callable, Iterator, Optional, Union

from lsprotocol import types as lsp
from pygls.exceptions import (JsonRpcException, JsonRpcInvalidRequest, JsonRpcParseError,
                              JsonRpcServerNotInitialized)
from pygls.io_ import StdoutWriter
from pygls.protocol import LanguageServerProtocol, lsp_method

logger = logging.getLogger(__name__)

MAX_BODY = 64 * 2**20        # bytes: a bigger message is refused, not read into memory
MAX_HEADER_LINE = 8192       # bytes: a longer "line" is garbage, read in pieces and skipped
_CHUNK = 2**20
_LENGTH = b"content-length:"


@dataclass(frozen=True)
class FrameError:
    """Input that is not a well-framed message; the reader has skipped past it."""

    reason: str


def read_frames(rfile: BinaryIO) -> Iterator[Union[bytes, FrameError]]:
    """The bodies of the messages on ``rfile``, and a ``FrameError`` for each stretch of input
    that is not one (reported once, then skipped up to the next ``Content-Length:``)."""
    skipping = False  # inside input already reported: no second error for the same stretch
    headers: dict[str, str] = {}
    while True:
        line = rfile.readline(MAX_HEADER_LINE)
        if not line:
            return
        if line in (b"\r\n", b"\n"):
            if not headers:
                continue  # a stray blank line, or the end of a skipped block
            length, headers = headers.get("content-length"), {}
            size = _length(length)
            if size is None:
                if not skipping:
                    yield FrameError(f"bad Content-Length header: {length!r}" if length
                                     is not None else "no Content-Length header")
                skipping = True
                continue
            body = _read_exactly(rfile, size)
            if body is None:
                return
            skipping = False
            yield body
            continue
        at = line.lower().find(_LENGTH)
        if at > 0:  # a header glued to the end of garbage: the next message starts there
            line, headers = line[at:], {}
            if not skipping:
                yield FrameError("unexpected bytes before a header")
            skipping = True
        name, value = _header(line)
        if name is None:
            headers = {}
            if not skipping:
                yield FrameError(f"not a header line: {line[:40]!r}")
            skipping = True
        elif name == "content-length" and name in headers and headers[name] != value:
            headers[name] = ""  # two different lengths: unusable
        else:
            headers[name] = value


def _header(line: bytes) -> tuple[Optional[str], str]:
    """``Name: value`` -> (lower-case name, value); (None, "") for anything else."""
    if not line.endswith(b"\n"):
        return None, ""
    try:
        text = line.decode("ascii").rstrip("\r\n")
    except UnicodeDecodeError:
        return None, ""
    name, colon, value = text.partition(":")
    if not colon or not name or not all(33 <= ord(c) <= 126 for c in name):
        return None, ""
    return name.lower(), value.strip()


def _length(value: Optional[str]) -> Optional[int]:
    if value is None or not value.isdigit() or not value.isascii():
        return None
    size = int(value)
    return size if size <= MAX_BODY else None


def _read_exactly(rfile: BinaryIO, size: int) -> Optional[bytes]:
    """``size`` bytes, read in pieces (a length no data follows never allocates it all);
    None at the end of input."""
    parts, left = [], size
    while left:
        part = rfile.read(min(left, _CHUNK))
        if not part:
            return None
        parts.append(part)
        left -= len(part)
    return b"".join(parts)


def _usable_id(value: Any) -> bool:
    return type(value) in (int, str)


def _envelope_problem(data: Any) -> tuple[Optional[str], Optional[Union[int, str]]]:
    """What makes ``data`` not a JSON-RPC 2.0 message (None: nothing), and the id to answer."""
    if not isinstance(data, dict):
        return "a message is a JSON object (batches are not part of LSP)", None
    msg_id = data.get("id")
    answer = msg_id if _usable_id(msg_id) else None
    if data.get("jsonrpc") != "2.0":
        return 'jsonrpc must be "2.0"', answer
    if "id" in data and not _usable_id(msg_id) and not (msg_id is None and "method" not in data):
        return "id must be an integer or a string", None
    if "method" in data:
        if not isinstance(data["method"], str):
            return "method must be a string", answer
        if "params" in data and not isinstance(data["params"], (dict, list, type(None))):
            return "params must be an object or an array", answer
    elif "id" not in data or ("result" not in data and "error" not in data):
        return "neither a request, a notification nor a response", None
    return None, answer


class Protocol(LanguageServerProtocol):
    """pygls's LSP protocol, fed by ``serve`` one raw body at a time."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.initialize_received = False
        self.on_stop: Callable[[int], None] = lambda code: None
        self.on_shutdown: Callable[[], None] = lambda: None

    def receive(self, item: Union[bytes, FrameError]) -> None:
        if isinstance(item, FrameError):
            return self._error(None, JsonRpcParseError(f"Parse Error: {item.reason}"))
        try:
            data = json.loads(item.decode("utf-8"))
        except (UnicodeDecodeError, ValueError, RecursionError) as exc:
            return self._error(None, JsonRpcParseError(f"Parse Error: {exc}"))
        problem, msg_id = _envelope_problem(data)
        if problem is not None:
            return self._error(msg_id, JsonRpcInvalidRequest(f"Invalid Request: {problem}"))
        method = data.get("method")
        request = method is not None and "id" in data
        refusal = None
        if method is not None and method != lsp.EXIT:
            if not self.initialize_received and method != lsp.INITIALIZE:
                refusal = JsonRpcServerNotInitialized("Server Not Initialized")
            elif self._shutdown:
                refusal = JsonRpcInvalidRequest(f"Invalid Request: {method} after shutdown")
        if refusal is not None:
            if request:
                self._error(msg_id, refusal)
            else:
                logger.info("dropped %s: %s", method, refusal)
            return
        try:
            message = self.structure_message(data)
        except JsonRpcException as exc:
            if request:
                self._error(msg_id, exc)
            else:
                self._server._report_server_error(exc, JsonRpcException)
            return
        if method == lsp.INITIALIZE:
            self.initialize_received = True
        self.handle_message(message)

    def _error(self, msg_id: Optional[Union[int, str]], exc: JsonRpcException) -> None:
        # Written by hand: the typed message would drop a null id, which a reply must carry.
        self._send_data({"jsonrpc": "2.0", "id": msg_id,
                         "error": {"code": exc.code, "message": exc.message}})

    @lsp_method(lsp.SHUTDOWN)
    def lsp_shutdown(self, *args):
        self.on_shutdown()
        return (yield from super().lsp_shutdown(*args))

    @lsp_method(lsp.EXIT)
    def lsp_exit(self, *args) -> None:
        self.on_stop(0 if self._shutdown else 1)

    def end_of_input(self) -> None:
        self.on_stop(0 if self._shutdown else 1)


def serve(protocol: Protocol, rfile: Optional[BinaryIO] = None,
          wfile: Optional[BinaryIO] = None) -> int:
    """Serve ``protocol`` on stdio until ``exit`` or the end of input; the exit code."""
    rfile = rfile or sys.stdin.buffer
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    done: asyncio.Future = loop.create_future()
    protocol.set_writer(StdoutWriter(wfile or sys.stdout.buffer))

    def stop(code: int) -> None:
        if not done.done():
            done.set_result(code)

    def receive(item: Union[bytes, FrameError]) -> None:
        if done.done():
            return
        try:
            protocol.receive(item)
        except BrokenPipeError:  # the client is gone
            stop(1)
        except Exception:  # a bug must not end the session: log it, serve the next message
            logger.exception("jaxloop-lsp: internal error handling a message")

    def post(callback: Callable, *args) -> bool:
        try:
            loop.call_soon_threadsafe(callback, *args)
            return True
        except RuntimeError:  # the loop is closed: the server has stopped
            return False

    def read() -> None:
        try:
            for item in read_frames(rfile):
                if not post(receive, item):
                    return
        except (OSError, ValueError):
            pass
        post(protocol.end_of_input)

    protocol.on_stop = stop
    threading.Thread(target=read, name="jaxloop-lsp-stdin", daemon=True).start()
    try:
        return loop.run_until_complete(done)
    except KeyboardInterrupt:
        return 130
