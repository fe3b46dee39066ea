"""The progress line: drawn on a terminal after a delay, never when piped or with --quiet."""
from __future__ import annotations

import io
import os
import select
import shutil
import sys
from pathlib import Path

import pytest

from fixers import cli, progress

from test_cli import UNFIXABLE


def read_all(fd: int) -> bytes:
    """What the terminal received (the kernel hands pty output over asynchronously)."""
    chunks = []
    while select.select([fd], [], [], 0.5)[0]:
        try:
            chunk = os.read(fd, 65536)
        except OSError:  # EIO: the other side is closed
            break
        if not chunk:
            break
        chunks.append(chunk)
    return b"".join(chunks)


@pytest.fixture
def no_delay(monkeypatch):
    monkeypatch.setattr(progress, "DELAY", 0.0)
    monkeypatch.setattr(progress, "INTERVAL", 0.0)


@pytest.fixture
def terminal(monkeypatch):
    """Call it in the test (pytest resets sys.stderr before the test body runs) to make stderr
    a pseudo-terminal; it returns a function giving what was written to it."""
    opened = []

    def install():
        master, slave = os.openpty()
        stream = io.TextIOWrapper(os.fdopen(slave, "wb", buffering=0), encoding="utf-8",
                                  write_through=True)
        opened.append((master, stream))
        monkeypatch.setattr(sys, "stderr", stream)
        return lambda: read_all(master).decode()
    yield install
    for master, stream in opened:
        stream.close()
        os.close(master)


@pytest.fixture
def five_files(tmp_path) -> Path:
    for i in range(5):
        (tmp_path / f"m{i}.py").write_text(UNFIXABLE)
    return tmp_path


def test_progress_line_counts_files_and_findings_with_an_eta(no_delay):
    master, slave = os.openpty()
    with os.fdopen(slave, "w") as stream:
        bar = progress.Progress(stream, total=3)
        bar.update(2)
        bar.update(0)
        bar.update(1)
        bar.close()
    out = read_all(master).decode()
    os.close(master)
    assert "\r\x1b[Kjaxloop-fix: 1/3 files, 2 findings, ETA " in out
    assert "jaxloop-fix: 2/3 files, 2 findings, ETA " in out
    assert "jaxloop-fix: 3/3 files, 3 findings" in out
    assert out.endswith("\r\x1b[K")  # erased: the findings print on a clean line


def test_cli_draws_progress_on_a_terminal(five_files, terminal, no_delay, monkeypatch):
    stdout = io.StringIO()
    monkeypatch.setattr(sys, "stdout", stdout)
    received = terminal()
    rc = cli.main(["--check", "--no-cache", "-j", "1", str(five_files)])
    out = received()
    assert rc == 1
    assert "jaxloop-fix: 1/5 files, 1 findings, ETA" in out
    assert "jaxloop-fix: 5/5 files, 5 findings" in out
    assert out.rstrip().endswith("5 findings, 0 fixable")
    assert stdout.getvalue().count("JXL104") == 5


def test_quiet_draws_nothing_on_a_terminal(five_files, terminal, no_delay):
    received = terminal()
    assert cli.main(["--check", "--quiet", "--no-cache", str(five_files)]) == 1
    assert received() == ""


def test_a_short_run_draws_nothing(five_files, terminal):
    received = terminal()
    cli.main(["--check", "--no-cache", str(five_files)])  # well under a second
    out = received()
    assert "\x1b[K" not in out and "/5 files" not in out and "5 findings, 0 fixable" in out


def test_no_progress_when_stderr_is_not_a_terminal(five_files, no_delay, capsys):
    cli.main(["--check", "--no-cache", "-j", "1", str(five_files)])
    err = capsys.readouterr().err
    assert "\r" not in err and "/5 files" not in err


def test_progress_on_a_closed_terminal_does_not_fail_the_run(no_delay):
    master, slave = os.openpty()
    stream = os.fdopen(slave, "w")
    bar = progress.Progress(stream, total=2)
    stream.close()
    bar.update(1)
    bar.close()
    os.close(master)
    assert not bar.enabled
