"""``jaxloop-fix -j N``: the same output as one process, in the same order, with spawned workers."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from fixers import apply as fix_apply
from fixers import cli, parallel

FIXTURES = Path(__file__).parent / "fixtures"


def run(capsys, *argv):
    rc = cli.main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return rc, out, err


def without_time(err: str) -> list[str]:
    """stderr minus the line that says how long the run took."""
    return [line for line in err.splitlines() if " s" not in line.split(" in ")[-1]]


@pytest.fixture
def tree(tmp_path) -> Path:
    """The rule fixtures (findings, fixes, refusals, quiet files) plus a file that does not
    parse, spread over two packages."""
    root = tmp_path / "tree"
    for path in sorted(FIXTURES.glob("*/*.py")):
        target = root / ("a" if path.name < "r" else "b") / path.parent.name / path.name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(path, target)
    (root / "b" / "broken.py").write_text("import jax\ndef f(:\n")
    return root


@pytest.fixture
def spawn_pool(monkeypatch):
    """A pool even for a small tree, started the way it is where fork is unavailable."""
    monkeypatch.setattr(parallel, "START_METHOD", "spawn")
    monkeypatch.setattr(parallel, "PARALLEL_MIN_BYTES", 0)
    monkeypatch.setattr(parallel, "PARALLEL_MIN_FILES", 2)


@pytest.mark.parametrize("mode", [["--check"], ["--diff"], ["--check", "--unsafe-fixes"]])
def test_two_spawned_workers_print_what_one_process_prints(tree, capsys, spawn_pool, mode):
    one = run(capsys, *mode, "--no-cache", "-j", "1", tree)
    two = run(capsys, *mode, "--no-cache", "-j", "2", tree)
    assert one[0] == two[0] == 2  # findings and a syntax error
    assert one[1] == two[1] and one[1]  # findings (or diffs) in the same, sorted order
    assert without_time(one[2]) == without_time(two[2])
    assert "broken.py: error: syntax error" in two[2]


def test_the_work_is_done_in_the_workers(tree, capsys, spawn_pool, monkeypatch):
    expected = run(capsys, "--check", "--no-cache", "-j", "1", tree)

    def broken(*args, **kwargs):
        raise AssertionError("analysed in the parent")

    # Spawned workers import a fresh fixers.apply: only the parent sees this.
    monkeypatch.setattr(fix_apply, "findings", broken)
    got = run(capsys, "--check", "--no-cache", "-j", "2", tree)
    assert got[:2] == expected[:2]
    assert "analysed in the parent" not in got[2]


def test_write_mode_in_workers_writes_what_one_process_writes(tree, tmp_path, capsys,
                                                              spawn_pool):
    copy = tmp_path / "copy"
    shutil.copytree(tree, copy)
    one = run(capsys, "--no-cache", "-j", "1", tree)
    two = run(capsys, "--no-cache", "-j", "2", copy)
    assert one[1].replace(str(tree), "") == two[1].replace(str(copy), "")
    fixed = sorted(p.relative_to(tree) for p in tree.rglob("*.py"))
    assert fixed == sorted(p.relative_to(copy) for p in copy.rglob("*.py"))
    for rel in fixed:
        assert (tree / rel).read_bytes() == (copy / rel).read_bytes(), rel
    assert totals_fixed(one[2]) == totals_fixed(two[2]) > 0


def totals_fixed(err: str) -> int:
    return int(err.splitlines()[-1].split(", ")[1].split()[0])


def test_a_small_run_does_not_start_a_pool(tmp_path, capsys, monkeypatch):
    def no_pool(*args, **kwargs):
        raise AssertionError("pool started")

    monkeypatch.setattr(parallel, "_in_pool", no_pool)
    path = tmp_path / "one.py"
    shutil.copy(FIXTURES / "JXL104" / sorted(p.name for p in (FIXTURES / "JXL104").glob(
        "report_*.py"))[0], path)
    rc, out, _ = run(capsys, "--check", "-j", "2", path)
    assert rc == 1 and "JXL104" in out


@pytest.mark.parametrize("value", ["0", "-1", "two"])
def test_bad_job_counts_are_usage_errors(tmp_path, capsys, value):
    rc, out, err = run(capsys, "-j", value, tmp_path)
    assert rc == 2 and "usage:" in err and out == ""


def test_default_jobs_is_the_usable_core_count():
    assert 1 <= parallel.default_jobs()
