"""``jaxloop-lsp``'s transport and lifecycle, over stdio: malformed input gets a JSON-RPC error
and the server goes on; ``initialize`` / ``shutdown`` / ``exit`` as the LSP specification says;
``--help`` and ``--version`` answer without waiting on stdin."""
from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import RNN_PROGRAM
from lsp_client import TIMEOUT, Client, frame, session

from fixers.lsp_rpc import MAX_BODY, FrameError, read_frames

PARSE_ERROR, INVALID_REQUEST, INVALID_PARAMS = -32700, -32600, -32602
SERVER_NOT_INITIALIZED = -32002
LSP = Path(sys.executable).parent / "jaxloop-lsp"


@pytest.fixture
def client(tmp_path):
    with session(tmp_path) as c:
        yield c


def request(id_: int, method: str = "shutdown", params=None) -> bytes:
    message = {"jsonrpc": "2.0", "id": id_, "method": method}
    if params is not None:
        message["params"] = params
    return frame(message)


def error_of(client: Client, id_) -> dict:
    reply = client.reply(id_)
    assert "result" not in reply, reply
    return reply["error"]


def still_serving(client: Client, tmp_path: Path) -> None:
    """A normal request after the bad input gets its normal answer."""
    diags = client.open(tmp_path / "ok.py", RNN_PROGRAM)
    assert sorted(d["code"] for d in diags) == ["JXL101", "JXL201"]


BAD_HEADERS = [
    b"Content-Length: abc\r\n\r\n",                 # not a number
    b"Content-Length: -5\r\n\r\n",                  # not a length
    b"Content-Type: application/json\r\n\r\n",      # no length at all
    b"Content-Length: %d\r\n\r\n" % (MAX_BODY + 1),  # more than the server reads
    b"Content-Length: 5\r\nContent-Length: 7\r\n\r\n",  # two lengths
]


def test_a_bad_content_length_gets_a_parse_error_and_the_server_goes_on(client, tmp_path):
    # Each bad header hides a shutdown request that must not run (the server would refuse
    # everything after it).
    body = json.dumps({"jsonrpc": "2.0", "id": 90, "method": "shutdown"}).encode()
    for n, header in enumerate(BAD_HEADERS):
        client.send_raw(header + body + request(100 + n, "textDocument/codeAction", {
            "textDocument": {"uri": (tmp_path / "none.py").as_uri()},
            "range": {"start": {"line": 0, "character": 0},
                      "end": {"line": 0, "character": 0}},
            "context": {"diagnostics": []}}))
        assert error_of(client, None)["code"] == PARSE_ERROR, header
        assert client.reply(100 + n)["result"] == [], header  # the next message, in full
    still_serving(client, tmp_path)


BAD_BODIES = [
    (b"{not json", PARSE_ERROR, None),
    (b"\xff\xfe{}", PARSE_ERROR, None),                                   # not UTF-8
    (b"[1, 2]", INVALID_REQUEST, None),                                   # a batch
    (b'"hello"', INVALID_REQUEST, None),
    (b'{"jsonrpc": "1.0", "id": 7, "method": "shutdown"}', INVALID_REQUEST, 7),
    (b'{"jsonrpc": "2.0", "id": [1], "method": "shutdown"}', INVALID_REQUEST, None),
    (b'{"jsonrpc": "2.0", "id": 8, "method": 12}', INVALID_REQUEST, 8),
    (b'{"jsonrpc": "2.0", "id": 9, "method": "textDocument/codeAction", "params": 3}',
     INVALID_REQUEST, 9),
    (b'{"jsonrpc": "2.0", "id": 10, "method": "textDocument/codeAction", "params": {}}',
     INVALID_PARAMS, 10),
    (b'{"jsonrpc": "2.0"}', INVALID_REQUEST, None),
]


def test_a_bad_body_gets_the_spec_error_and_the_server_goes_on(client, tmp_path):
    for body, code, id_ in BAD_BODIES:
        client.send_raw(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        assert error_of(client, id_)["code"] == code, body
    still_serving(client, tmp_path)


def test_garbage_between_messages_is_reported_once_and_skipped(client, tmp_path):
    client.send_raw(b"garbage\r\nmore garbage" + request(20, "textDocument/codeAction", {
        "textDocument": {"uri": (tmp_path / "none.py").as_uri()},
        "range": {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 0}},
        "context": {"diagnostics": []}}))
    assert error_of(client, None)["code"] == PARSE_ERROR
    assert client.reply(20)["result"] == []
    still_serving(client, tmp_path)


def test_read_frames_resynchronises_on_the_next_header():
    good = frame({"jsonrpc": "2.0", "method": "x"})
    items = list(read_frames(io.BytesIO(
        b"Content-Length: zz\r\n\r\n{}" + good + b"\r\n\r\n" + good + b"junk\r\n" + good)))
    assert [type(i) for i in items] == [FrameError, bytes, bytes, FrameError, bytes]
    assert all(i == good.split(b"\r\n\r\n", 1)[1] for i in items if isinstance(i, bytes))
    # A length no data follows: the end of input, without reading it into memory first.
    assert list(read_frames(io.BytesIO(b"Content-Length: 1000000\r\n\r\n{}"))) == []


def test_requests_before_initialize_get_server_not_initialized(tmp_path):
    c = Client(tmp_path)
    try:
        c.send_raw(request(1, "textDocument/codeAction", {}))
        assert error_of(c, 1)["code"] == SERVER_NOT_INITIALIZED
        c.initialize(tmp_path)
    finally:
        c.close()
    assert c.proc.returncode == 0


def test_shutdown_then_exit_exits_0_and_requests_in_between_get_invalid_request(tmp_path):
    c = Client(tmp_path)
    try:
        c.initialize(tmp_path)
        assert c.request("shutdown", None) is None
        assert error_of(c, c.send_request("textDocument/codeAction", {
            "textDocument": {"uri": (tmp_path / "x.py").as_uri()},
            "range": {"start": {"line": 0, "character": 0},
                      "end": {"line": 0, "character": 0}},
            "context": {"diagnostics": []}}))["code"] == INVALID_REQUEST
        assert error_of(c, c.send_request("shutdown", None))["code"] == INVALID_REQUEST
        c.notify("exit", None)
        assert c.proc.wait(timeout=TIMEOUT) == 0  # stdin still open: exit alone ends it
    finally:
        if c.proc.poll() is None:
            c.proc.kill()


def test_exit_without_shutdown_exits_1(tmp_path):
    c = Client(tmp_path, [str(LSP), "--stdio"])  # the installed command, as editors start it
    try:
        c.initialize(tmp_path)
        c.notify("exit", None)
        assert c.proc.wait(timeout=TIMEOUT) == 1
    finally:
        if c.proc.poll() is None:
            c.proc.kill()


def test_end_of_input_without_shutdown_exits_1(tmp_path):
    c = Client(tmp_path)
    c.initialize(tmp_path)
    c.proc.stdin.close()
    assert c.proc.wait(timeout=TIMEOUT) == 1


@pytest.mark.parametrize("option, expected", [
    ("--help", "usage: jaxloop-lsp"), ("-h", "usage: jaxloop-lsp"),
    ("--version", "jaxloop-lsp 0."),
])
def test_help_and_version_print_and_exit_without_reading_stdin(option, expected):
    # stdin stays open: a server that waited on it would hang here until the timeout.
    proc = subprocess.Popen([str(LSP), option], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        assert proc.wait(timeout=TIMEOUT) == 0
        out = proc.stdout.read().decode()
    finally:
        if proc.poll() is None:
            proc.kill()
        for stream in (proc.stdin, proc.stdout, proc.stderr):
            stream.close()
    assert out.startswith(expected), out


def test_an_unknown_option_is_a_usage_error():
    proc = subprocess.run([str(LSP), "--bogus"], stdin=subprocess.DEVNULL,
                          capture_output=True, text=True, timeout=TIMEOUT)
    assert proc.returncode == 2 and "unrecognized arguments: --bogus" in proc.stderr
