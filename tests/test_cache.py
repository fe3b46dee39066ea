"""The result cache: hits, invalidation, corrupt entries, ``--no-cache``, and write mode."""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from fixers import apply as fix_apply
from fixers import cache as result_cache
from fixers.cache import keys as cache_keys
from fixers import cli
from fixers.runner import Options

from test_cli import UNFIXABLE
from conftest import RNN_PROGRAM

OLD_TIME = 1_000_000_000


def run(capsys, *argv):
    rc = cli.main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return rc, out, err


def from_cache(err: str) -> int:
    """How many files the summary says were answered from the cache."""
    line = err.splitlines()[-2]
    return int(line.split("(")[1].split()[0]) if "from the cache" in line else 0


@pytest.fixture
def cache_dir(tmp_path, monkeypatch) -> Path:
    directory = tmp_path / "cache"
    monkeypatch.setenv("JAXLOOP_CACHE_DIR", str(directory))
    return directory


@pytest.fixture
def project(tmp_path) -> Path:
    root = tmp_path / "src"
    root.mkdir()
    (root / "halve.py").write_text(UNFIXABLE)
    (root / "clean.py").write_text("import jax\n\n@jax.jit\ndef f(x):\n    return x + 1\n")
    (root / "broken.py").write_text("import jax\ndef f(:\n")
    return root


@pytest.fixture
def no_analysis(monkeypatch):
    """Makes any analysis in this process fail: what still works came from the cache."""
    def refuse(*args, **kwargs):
        raise AssertionError("analysed")

    def arm():
        monkeypatch.setattr(fix_apply, "findings", refuse)
        monkeypatch.setattr(fix_apply, "fix_source", refuse)
    return arm


def test_an_unchanged_tree_answers_from_the_cache(project, cache_dir, capsys, no_analysis):
    first = run(capsys, "--check", project)
    assert from_cache(first[2]) == 0
    no_analysis()
    second = run(capsys, "--check", project)
    assert second[:2] == first[:2] and first[0] == 2  # a finding and a syntax error
    assert from_cache(second[2]) == 3
    assert second[2].splitlines()[-1] == first[2].splitlines()[-1]
    assert "broken.py: error: syntax error at line 2" in second[2]


def test_the_cache_dir_ignores_itself(project, cache_dir, capsys):
    run(capsys, "--check", project)
    assert (cache_dir / ".gitignore").read_text().splitlines()[-1] == "*"
    assert (cache_dir / "CACHEDIR.TAG").read_text().startswith(
        "Signature: 8a477f597d28d172789f06886806bc55")


def entries(cache_dir: Path) -> list[Path]:
    return [p for p in (cache_dir / "entries").glob("*/*") if not p.name.startswith(".")]


def test_default_location_is_the_users_cache_directory(project, tmp_path, capsys,
                                                       monkeypatch):
    """Out of the tree (a pull request cannot ship entries), one directory per project."""
    monkeypatch.delenv("JAXLOOP_CACHE_DIR")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    (tmp_path / ".git").mkdir()
    monkeypatch.chdir(project)  # below the project's root
    run(capsys, "--check", project)
    assert not (project / ".jaxloop_cache").exists() and not (tmp_path / ".jaxloop_cache").exists()
    [here] = (tmp_path / "xdg" / "jaxloop-lint" / "projects").iterdir()
    assert here.name.startswith(f"{tmp_path.name}-") and len(entries(here)) == 3
    assert (tmp_path / "xdg" / "jaxloop-lint" / "secret").stat().st_mode & 0o777 == 0o600
    run(capsys, "--check", "--cache-dir", tmp_path / "elsewhere", project)
    assert (tmp_path / "elsewhere" / ".gitignore").exists()


def test_a_changed_file_is_analysed_again(project, cache_dir, capsys):
    run(capsys, "--check", project)
    (project / "clean.py").write_text(UNFIXABLE)
    rc, out, err = run(capsys, "--check", project)
    assert from_cache(err) == 2
    assert f"{project / 'clean.py'}:7:5: JXL104" in out


@pytest.mark.parametrize("other", [["--select", "JXL1"], ["--ignore", "JXL2"],
                                   ["--extra-jit-decorators", "mypkg.my_jit"],
                                   ["--unsafe-fixes"], ["--diff"]])
def test_other_options_do_not_share_entries(project, cache_dir, capsys, other):
    run(capsys, "--check", project)
    _, _, err = run(capsys, "--check" if "--diff" not in other else "--diff",
                    *[o for o in other if o != "--diff"], project)
    assert from_cache(err) == 0


def test_config_is_part_of_the_key():
    a = result_cache.options_fingerprint(Options())
    assert a == result_cache.options_fingerprint(Options())
    from jaxloop_lint import Config
    assert a != result_cache.options_fingerprint(Options(config=Config(flax_api="legacy")))


def test_editing_the_tools_source_changes_every_key(tmp_path, monkeypatch):
    for package in cache_keys.PACKAGES:
        (tmp_path / package).mkdir()
        (tmp_path / package / "x.py").write_text("A = 1\n")
    before = result_cache.code_fingerprint(tmp_path)
    assert before == result_cache.code_fingerprint(tmp_path)
    (tmp_path / "jaxloop_lint" / "x.py").write_text("A = 2\n")
    assert result_cache.code_fingerprint(tmp_path) != before
    assert result_cache.code_fingerprint() != before  # the real tree hashes its own files
    empty = tmp_path / "empty"
    empty.mkdir()
    assert result_cache.code_fingerprint() != result_cache.code_fingerprint(empty)


def test_corrupt_entries_are_recomputed(project, cache_dir, capsys):
    first = run(capsys, "--check", project)
    found = entries(cache_dir)
    assert len(found) == 3
    for i, entry in enumerate(found):
        entry.write_bytes([b"", b"{not json", b'{"remaining": [["JXL1"]]}'][i])
    second = run(capsys, "--check", project)
    assert second[:2] == first[:2] and from_cache(second[2]) == 0
    third = run(capsys, "--check", project)
    assert third[:2] == first[:2] and from_cache(third[2]) == 3  # rewritten


def test_no_cache_neither_reads_nor_writes(project, cache_dir, capsys, no_analysis):
    run(capsys, "--check", "--no-cache", project)
    assert not cache_dir.exists()
    run(capsys, "--check", project)
    no_analysis()
    rc, out, err = run(capsys, "--check", "--no-cache", project)
    assert rc == 2 and "internal error: AssertionError: analysed" in err


def test_an_unusable_cache_directory_only_costs_speed(project, tmp_path, capsys):
    blocker = tmp_path / "file"
    blocker.write_text("")
    first = run(capsys, "--check", "--no-cache", project)
    second = run(capsys, "--check", "--cache-dir", blocker / "cache", project)
    assert second[:2] == first[:2]


def test_write_mode_skips_a_cached_file_with_nothing_to_fix(project, cache_dir, capsys,
                                                          no_analysis):
    halve = project / "halve.py"
    os.utime(halve, ns=(OLD_TIME * 10**9, OLD_TIME * 10**9))
    first = run(capsys, project)
    no_analysis()
    second = run(capsys, project)
    assert second[:2] == first[:2] and from_cache(second[2]) == 3
    assert halve.stat().st_mtime_ns == OLD_TIME * 10**9


def test_write_mode_never_takes_a_fix_from_the_cache(tmp_path, cache_dir, capsys):
    path = tmp_path / "rnn.py"
    path.write_text(RNN_PROGRAM)
    rc, out, err = run(capsys, "--diff", path)
    assert rc == 1 and "lax.scan" in out
    rc, out, err = run(capsys, path)  # the diff's entry says a fix applies: not a skip
    assert from_cache(err) == 0 and "lax.scan" in path.read_text()


def test_diff_mode_is_answered_from_the_cache(tmp_path, cache_dir, capsys, no_analysis):
    path = tmp_path / "rnn.py"
    path.write_text(RNN_PROGRAM)
    first = run(capsys, "--diff", path)
    no_analysis()
    second = run(capsys, "--diff", path)
    assert second[:2] == first[:2] and from_cache(second[2]) == 1
    assert path.read_text() == RNN_PROGRAM


def test_copies_share_nothing_by_path(project, tmp_path, cache_dir, capsys):
    run(capsys, "--check", project)
    copy = tmp_path / "copy"
    shutil.copytree(project, copy)
    rc, out, err = run(capsys, "--check", copy)
    assert from_cache(err) == 0 and str(copy / "halve.py") in out


def test_concurrent_runs_share_one_cache_safely(tmp_path, cache_dir):
    import subprocess
    import sys

    root = tmp_path / "many"
    for i in range(40):
        (root / f"p{i % 4}").mkdir(parents=True, exist_ok=True)
        (root / f"p{i % 4}" / f"m{i}.py").write_text(UNFIXABLE if i % 3 else RNN_PROGRAM)
    cmd = [sys.executable, "-m", "fixers.cli", "--check", "-j", "1", str(root)]
    env = dict(os.environ, JAXLOOP_CACHE_DIR=str(cache_dir))
    reference = subprocess.run(cmd + ["--no-cache"], capture_output=True, text=True, env=env,
                               timeout=300)
    runs = [subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                             env=env) for _ in range(4)]
    for proc in runs:
        out, err = proc.communicate(timeout=300)
        assert (proc.returncode, out) == (reference.returncode, reference.stdout)
        assert err.splitlines()[-1] == reference.stderr.splitlines()[-1]
    assert not list(cache_dir.rglob(".tmp-*"))
    warm = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=300)
    assert warm.stdout == reference.stdout and from_cache(warm.stderr) == 40


def test_a_projects_own_config_is_part_of_the_key(capsys, cache_dir, project):
    """Each file's options come from its project's [tool.jaxloop]: changing that table must
    not be answered with the old result."""
    (project / ".git").mkdir()  # the config search stops here
    rc, out, _ = run(capsys, "--check", project / "halve.py")
    assert rc == 1 and "JXL104" in out
    (project / "pyproject.toml").write_text('[tool.jaxloop]\nignore = ["JXL104"]\n')
    rc, out, err = run(capsys, "--check", project / "halve.py")
    assert rc == 0 and "JXL104" not in out, out
    assert from_cache(err) == 0
    rc, out, err = run(capsys, "--check", project / "halve.py")
    assert rc == 0 and from_cache(err) == 1


def test_json_edits_survive_the_cache(capsys, cache_dir, tmp_path):
    import json
    path = tmp_path / "rnn.py"
    path.write_text(RNN_PROGRAM)
    first = run(capsys, "--check", "--output-format", "json", path)[1]
    rc, second, err = run(capsys, "--check", "--output-format", "json", path)
    assert from_cache(err) == 1
    assert json.loads(first) == json.loads(second)
    assert any(f["fix"] and f["fix"]["edits"] for f in json.loads(second))
