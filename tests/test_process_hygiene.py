"""Process hygiene (issue 13, item 4): workers die with the main process, rewrites keep owner,
group and hard links, and Ctrl-C exits 130 with one line."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from fixers import apply as fix_apply
from fixers import cli, sources

from conftest import RNN_PROGRAM
from untrusted import env_for

# Enough work for two workers to be busy for several seconds (each file is fixed by libcst),
# and enough bytes that the run uses a pool at all (parallel.PARALLEL_MIN_BYTES).
N_FILES = 160
PADDING = "# " + "x" * 2000 + "\n"


@pytest.fixture
def big_tree(tmp_path) -> Path:
    root = tmp_path / "many"
    root.mkdir()
    for i in range(N_FILES):
        (root / f"m{i:03d}.py").write_text(PADDING + RNN_PROGRAM.replace("rnn", f"rnn{i}"))
    return root


def children(pid: int) -> set[int]:
    """Live child processes of ``pid`` (Linux /proc)."""
    out: set[int] = set()
    try:
        for tid in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{tid}/children") as fh:
                out.update(int(c) for c in fh.read().split())
    except OSError:
        pass
    return out


def alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as fh:
            return fh.read().rsplit(")", 1)[1].split()[0] != "Z"  # a zombie is dead
    except OSError:
        return False


def wait_for(condition, timeout: float = 60.0, step: float = 0.05) -> bool:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if condition():
            return True
        time.sleep(step)
    return condition()


def start(tree: Path, tmp_path: Path, *args: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "fixers.cli", "-j", "2", "--no-cache", *args,
                             str(tree)], env=env_for(tmp_path / "home"), stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, start_new_session=True)


def snapshot(tree: Path) -> dict[str, tuple[int, int]]:
    return {p.name: (p.stat().st_mtime_ns, p.stat().st_size) for p in tree.iterdir()}


needs_proc = pytest.mark.skipif(not os.path.isdir("/proc/self/task"),
                                reason="reads the process tree from Linux /proc")


@needs_proc
def test_workers_die_with_a_killed_main_process(big_tree, tmp_path):
    proc = start(big_tree, tmp_path)
    try:
        assert wait_for(lambda: len(children(proc.pid)) >= 2), "no workers started"
        workers = children(proc.pid)
        # Let them get going: some file is rewritten (not just a temporary file being written).
        assert wait_for(lambda: any("lax.scan" in p.read_text() for p in big_tree.glob("*.py")))
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)
        assert wait_for(lambda: not any(alive(w) for w in workers), timeout=10), \
            "workers outlived the main process"
        after = snapshot(big_tree)
        time.sleep(2)
        assert snapshot(big_tree) == after  # and nothing was written after
        fixed = sum("lax.scan" in p.read_text() for p in big_tree.glob("*.py"))
        assert 0 < fixed < N_FILES
    finally:
        for w in children(proc.pid):
            os.kill(w, signal.SIGKILL)
        proc.kill()


@needs_proc
def test_ctrl_c_exits_130_with_one_line_and_stops_the_workers(big_tree, tmp_path):
    proc = start(big_tree, tmp_path)
    try:
        assert wait_for(lambda: len(children(proc.pid)) >= 2), "no workers started"
        workers = children(proc.pid)
        # Mid-run for sure (a fix takes a while; 160 of them several seconds): a file is fixed.
        assert wait_for(lambda: any("lax.scan" in p.read_text() for p in big_tree.glob("*.py")))
        os.killpg(proc.pid, signal.SIGINT)  # as a terminal does: the whole process group
        out, err = proc.communicate(timeout=60)
    finally:
        proc.kill()
    assert proc.returncode == 130
    assert err == "jaxloop-fix: interrupted\n" and out == ""
    assert wait_for(lambda: not any(alive(w) for w in workers), timeout=10)


def test_ctrl_c_in_one_process_exits_130_and_leaves_no_temp_file(
        tmp_path, capsys, monkeypatch):
    path = tmp_path / "rnn.py"
    path.write_text(RNN_PROGRAM)

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(sources, "_unchanged_since_read", interrupted)  # mid-write
    assert cli.main(["-j", "1", "--no-cache", str(tmp_path)]) == 130
    out, err = capsys.readouterr()
    assert err == "jaxloop-fix: interrupted\n" and out == ""
    assert [p.name for p in tmp_path.iterdir()] == ["rnn.py"]
    assert path.read_text() == RNN_PROGRAM


# ------------------------------------------------------------------------------------------
# Owner, group, mode and hard links


def _fix(path: Path) -> None:
    proc = subprocess.run([sys.executable, "-m", "fixers.cli", "--no-cache", str(path)],
                          env=env_for(path.parent / "home"), capture_output=True, text=True,
                          timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert "jax.lax.scan" in path.read_text()


def test_a_hard_linked_file_is_fixed_through_its_inode(tmp_path):
    path = tmp_path / "rnn.py"
    path.write_text(RNN_PROGRAM)
    other = tmp_path / "elsewhere.txt"
    os.link(path, other)
    ino = path.stat().st_ino
    _fix(path)
    assert path.stat().st_ino == ino and path.stat().st_nlink == 2
    assert other.read_text() == path.read_text()


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0,
                    reason="only root can give a file to another user")
def test_a_rewrite_keeps_owner_group_and_mode(tmp_path):
    path = tmp_path / "rnn.py"
    path.write_text(RNN_PROGRAM)
    os.chown(path, 65534, 65534)
    path.chmod(0o640)
    _fix(path)
    st = path.stat()
    assert (st.st_uid, st.st_gid, st.st_mode & 0o7777) == (65534, 65534, 0o640)


def test_a_group_this_user_has_is_kept(tmp_path):
    groups = [g for g in os.getgroups() if g != os.getegid()]
    if not groups and os.geteuid() != 0:
        pytest.skip("this user belongs to one group only")
    gid = groups[0] if groups else 65534
    path = tmp_path / "rnn.py"
    path.write_text(RNN_PROGRAM)
    os.chown(path, -1, gid)
    _fix(path)
    assert path.stat().st_gid == gid


def test_when_the_owner_cannot_be_kept_the_file_is_written_in_place(tmp_path, capsys,
                                                                    monkeypatch):
    """A file of another user's this user may write: a new file would change its owner, so
    the fix goes through the old inode (simulated: fchown refused, as for a non-root user)."""
    path = tmp_path / "rnn.py"
    path.write_text(RNN_PROGRAM)
    st = path.stat()
    if os.geteuid() == 0:
        os.chown(path, 65534, 65534)
        st = path.stat()

    def refuse(fd, uid, gid):
        raise PermissionError(1, "Operation not permitted")

    monkeypatch.setattr(os, "fchown", refuse)
    if os.geteuid() != 0:  # our own file: make the owner look foreign to trigger the fallback
        monkeypatch.setattr(sources, "_replace", _always_keep_inode)
    assert cli.main(["--no-cache", "-j", "1", str(path)]) == 0
    after = path.stat()
    assert (after.st_ino, after.st_uid, after.st_gid) == (st.st_ino, st.st_uid, st.st_gid)
    assert "jax.lax.scan" in path.read_text()
    assert [p.name for p in tmp_path.iterdir()] == ["rnn.py"]  # no temp file left


def _always_keep_inode(src, target, payload):
    raise sources._KeepInode


def test_an_in_place_write_still_refuses_a_file_changed_meanwhile(tmp_path, capsys,
                                                                  monkeypatch):
    path = tmp_path / "rnn.py"
    path.write_text(RNN_PROGRAM)
    os.link(path, tmp_path / "link.txt")
    real = fix_apply.fix_source

    def edit_then_fix(source, filename, **kw):
        path.write_text(RNN_PROGRAM + "# edited meanwhile\n")
        return real(source, filename, **kw)

    monkeypatch.setattr(fix_apply, "fix_source", edit_then_fix)
    assert cli.main(["--no-cache", "-j", "1", str(path)]) == 2
    assert "changed while fixing; not written" in capsys.readouterr().err
    assert path.read_text().endswith("# edited meanwhile\n")
