"""Files that are not regular files, and links that leave the tree (issue 13, item 2).

A FIFO named ``y.py`` used to hang every mode (``open()`` blocks before the type check), and a
committed ``z.py -> /dev/zero`` read 3.7 GB and ended in a MemoryError traceback that lost every
other file's findings. Each is now one ``path: error: ...`` line, exit 2, and the other files go
on, in every mode, with and without the cache.
"""
from __future__ import annotations

import os
import socket
import sys
from pathlib import Path

import pytest

from untrusted import (FOUR_FINDINGS, assert_clean_exit, env_for, error_lines, jaxloop_fix)

MODES = [["--check"], ["--diff"], []]


@pytest.fixture
def tree(tmp_path) -> Path:
    root = tmp_path / "pr"
    root.mkdir()
    (root / "model.py").write_text(FOUR_FINDINGS)
    return root


def _assert_model_processed(tree: Path, mode: list[str], proc) -> None:
    if mode == ["--check"]:
        assert proc.stdout.count("model.py:") == 4
    elif mode == ["--diff"]:
        assert "+++ b/model.py" in proc.stdout and "jax.lax.scan" in proc.stdout
    else:
        assert "jax.lax.scan" in (tree / "model.py").read_text()


@pytest.mark.parametrize("cache", ["--no-cache", None])
@pytest.mark.parametrize("mode", MODES, ids=["check", "diff", "write"])
def test_a_fifo_does_not_hang_any_mode(tree, tmp_path, mode, cache):
    os.mkfifo(tree / "y.py")
    args = [*mode, *([cache] if cache else []), "."]
    proc = jaxloop_fix(*args, cwd=tree, home=tmp_path / "home", timeout=60)
    assert_clean_exit(proc)
    assert proc.returncode == 2
    assert error_lines(proc.stderr) == ["y.py: error: not a regular file (a FIFO)"]
    _assert_model_processed(tree, mode, proc)


def test_a_fifo_named_on_the_command_line_does_not_hang(tree, tmp_path):
    os.mkfifo(tree / "y.py")
    proc = jaxloop_fix("--check", "y.py", "model.py", cwd=tree, home=tmp_path / "home",
                       timeout=60)
    assert proc.returncode == 2 and proc.stdout.count("model.py:") == 4
    assert error_lines(proc.stderr) == ["y.py: error: not a regular file (a FIFO)"]


@pytest.mark.parametrize("follow", [False, True])
@pytest.mark.parametrize("mode", MODES, ids=["check", "diff", "write"])
def test_a_committed_link_to_dev_zero_is_one_error_line(tree, tmp_path, mode, follow):
    (tree / "z.py").symlink_to("/dev/zero")
    args = [*mode, *(["--follow-external-symlinks"] if follow else []), "."]
    proc = jaxloop_fix(*args, cwd=tree, home=tmp_path / "home", timeout=60, limit_memory=True)
    assert_clean_exit(proc)
    assert proc.returncode == 2
    if follow:
        expected = "z.py: error: not a regular file (a character device)"
    else:
        expected = ("z.py: error: symlink to /dev/zero, outside .; not followed "
                    "(--follow-external-symlinks follows it)")
    assert error_lines(proc.stderr) == [expected]
    _assert_model_processed(tree, mode, proc)


def test_a_socket_is_not_a_regular_file(tree, tmp_path, monkeypatch):
    sock = socket.socket(socket.AF_UNIX)
    monkeypatch.chdir(tree)  # a socket's path is short-limited: bind the relative name
    try:
        sock.bind("s.py")
        proc = jaxloop_fix("--check", ".", cwd=tree, home=tmp_path / "home", timeout=60)
    finally:
        sock.close()
    assert proc.returncode == 2 and proc.stdout.count("model.py:") == 4
    assert error_lines(proc.stderr) == ["s.py: error: not a regular file (a socket or device)"]


def test_a_link_inside_the_tree_to_a_fifo_is_followed_and_refused(tree, tmp_path):
    os.mkfifo(tree / "pipe")
    (tree / "link.py").symlink_to("pipe")
    proc = jaxloop_fix("--check", ".", cwd=tree, home=tmp_path / "home", timeout=60)
    assert error_lines(proc.stderr) == ["link.py: error: not a regular file (a FIFO)"]


def test_a_file_over_the_size_cap_is_refused_unread(tree, tmp_path):
    with open(tree / "huge.py", "wb") as fh:
        fh.truncate(17 * 1024 * 1024)
    proc = jaxloop_fix("--check", ".", cwd=tree, home=tmp_path / "home", limit_memory=True)
    assert_clean_exit(proc)
    assert error_lines(proc.stderr) == [
        "huge.py: error: too large (17.0 MB; the limit is 16.0 MB)"]
    assert proc.stdout.count("model.py:") == 4


def test_fifos_as_config_and_gitignore_do_not_hang(tree, tmp_path):
    (tree / ".git").mkdir()
    os.mkfifo(tree / "pyproject.toml")
    os.mkfifo(tree / ".gitignore")
    proc = jaxloop_fix("--check", ".", cwd=tree, home=tmp_path / "home", timeout=60)
    assert_clean_exit(proc)
    assert proc.returncode == 1 and proc.stdout.count("model.py:") == 4


def test_flake8_does_not_hang_on_a_fifo_config(tree, tmp_path):
    import subprocess

    (tree / ".git").mkdir()
    os.mkfifo(tree / "pyproject.toml")
    proc = subprocess.run([sys.executable, "-m", "flake8", "--select=JXL", "model.py"], cwd=tree,
                          env=env_for(tmp_path / "home"), capture_output=True, text=True,
                          timeout=120)
    assert proc.stdout.count("JXL") == 4


# ------------------------------------------------------------------------------------------
# Symlinks that leave the tree


@pytest.fixture
def outside(tmp_path) -> Path:
    d = tmp_path / "outside"
    d.mkdir()
    (d / "theirs.py").write_text(FOUR_FINDINGS)
    return d


def test_a_link_out_of_the_tree_is_reported_and_not_written(tree, tmp_path, outside):
    (tree / "link.py").symlink_to(outside / "theirs.py")
    proc = jaxloop_fix(".", cwd=tree, home=tmp_path / "home")
    assert proc.returncode == 2
    assert error_lines(proc.stderr) == [
        f"link.py: error: symlink to {outside / 'theirs.py'}, outside .; not followed "
        "(--follow-external-symlinks follows it)"]
    assert (outside / "theirs.py").read_text() == FOUR_FINDINGS
    assert "jax.lax.scan" in (tree / "model.py").read_text()


def test_a_link_out_of_the_tree_named_explicitly_is_refused_too(tree, tmp_path, outside):
    """pre-commit names every changed file: the link itself is what the pull request added."""
    (tree / "link.py").symlink_to(outside / "theirs.py")
    proc = jaxloop_fix("--check", "link.py", "model.py", cwd=tree, home=tmp_path / "home")
    assert proc.returncode == 2 and "link.py: error: symlink to" in proc.stderr
    assert "theirs" not in proc.stdout


def test_follow_external_symlinks_follows_them(tree, tmp_path, outside):
    (tree / "link.py").symlink_to(outside / "theirs.py")
    proc = jaxloop_fix("--follow-external-symlinks", ".", cwd=tree, home=tmp_path / "home")
    assert proc.returncode == 1 and error_lines(proc.stderr) == []
    assert (tree / "link.py").is_symlink() and "jax.lax.scan" in (outside / "theirs.py").read_text()


def test_links_inside_the_tree_and_files_named_outside_it_are_read(tree, tmp_path, outside):
    (tree / "sub").mkdir()
    (tree / "sub" / "same.py").symlink_to("../model.py")
    proc = jaxloop_fix("--check", "sub/same.py", outside / "theirs.py", cwd=tree,
                       home=tmp_path / "home")
    assert proc.returncode == 1 and error_lines(proc.stderr) == []
    assert proc.stdout.count("same.py:") == 4 and proc.stdout.count("theirs.py:") == 4


def test_symlinked_directories_are_not_entered(tree, tmp_path, outside):
    (tree / "vendored").symlink_to(outside, target_is_directory=True)
    proc = jaxloop_fix("--check", ".", cwd=tree, home=tmp_path / "home")
    assert proc.returncode == 1 and "theirs" not in proc.stdout + proc.stderr
