"""Discovery as users know it from git and Ruff (issue 16, item 6): ``.gitignore``, the usual
skipped directories, ``exclude`` / ``extend-exclude`` on the command line and in
``[tool.jaxloop]``, and files named explicitly (``--force-exclude``)."""
from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from fixers import gitignore
from fixers.discovery import Filters, collect
from fixers.settings import Resolver

from untrusted import jaxloop_fix

CODE = "import jax\n"


def put(root: Path, *names: str, text: str = CODE) -> None:
    for name in names:
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)


def found(root: Path, **filters) -> list[str]:
    """The files a walk of ``.`` yields, run in ``root`` with these command-line filters."""
    errors: list = []
    old = os.getcwd()
    os.chdir(root)
    try:
        resolver = Resolver((), (), (), False)
        files = collect(["."], errors, Filters(**filters), resolver)
    finally:
        os.chdir(old)
    assert errors == []
    return sorted(f.replace(os.sep, "/") for f in files)


@pytest.fixture
def repo(tmp_path) -> Path:
    root = tmp_path / "repo"
    root.mkdir()
    (root / ".git").mkdir()
    return root


def test_gitignore_is_honoured(repo):
    put(repo, "a.py", "gen/b.py", "sub/c.py", "sub/d_pb2.py", "sub/keep_pb2.py", "logs/x.py",
        "deep/er/gen/e.py")
    (repo / ".gitignore").write_text("gen/\n*_pb2.py\n!keep_pb2.py\n/logs\n")
    (repo / "sub" / ".gitignore").write_text("c.py\n")
    assert found(repo) == ["a.py", "sub/keep_pb2.py"]


def test_ignore_files_above_the_walked_directory_apply(repo):
    put(repo, "pkg/a.py", "pkg/gen/b.py", "pkg/local.py")
    (repo / ".gitignore").write_text("pkg/gen/\n")
    (repo / ".git" / "info").mkdir()
    (repo / ".git" / "info" / "exclude").write_text("local.py\n")
    assert found(repo / "pkg") == ["a.py"]


def test_without_a_repository_the_walked_gitignore_still_applies(tmp_path):
    put(tmp_path, "a.py", "out/b.py")
    (tmp_path / ".gitignore").write_text("out/\n")
    assert found(tmp_path) == ["a.py"]


def test_the_usual_directories_are_skipped(repo):
    put(repo, "a.py", ".git/hooks/h.py", ".venv/lib/v.py", "env3/lib/v.py", "build/b.py",
        "dist/d.py", "__pycache__/p.py", ".jaxloop_cache/c.py", "some_cache/c.py",
        "node_modules/n.py")
    (repo / "env3" / "pyvenv.cfg").write_text("home = /usr\n")  # a virtualenv of any name
    (repo / "some_cache" / "CACHEDIR.TAG").write_text(
        "Signature: 8a477f597d28d172789f06886806bc55\n")
    assert found(repo) == ["a.py"]


def test_exclude_replaces_the_defaults_and_extend_exclude_adds(repo):
    put(repo, "a.py", "build/b.py", "vendor/v.py", "tests/data/t.py", "tests/t.py")
    assert found(repo) == ["a.py", "tests/data/t.py", "tests/t.py", "vendor/v.py"]
    assert found(repo, exclude=("vendor",)) == [
        "a.py", "build/b.py", "tests/data/t.py", "tests/t.py"]
    assert found(repo, extend_exclude=("vendor", "tests/data")) == ["a.py", "tests/t.py"]
    assert found(repo, extend_exclude=("t.py",)) == ["a.py", "vendor/v.py"]


def test_the_same_keys_in_the_project_config(repo):
    put(repo, "a.py", "build/b.py", "vendor/v.py", "pkg/gen/g.py", "pkg/p.py")
    (repo / "pyproject.toml").write_text(
        '[tool.jaxloop]\nexclude = ["vendor"]\nextend-exclude = ["pkg/gen"]\n')
    assert found(repo) == ["a.py", "build/b.py", "pkg/p.py"]
    # the command line's --exclude replaces the table's exclude; extend-exclude still adds
    assert found(repo, exclude=("build",)) == ["a.py", "pkg/p.py", "vendor/v.py"]


def test_patterns_with_a_slash_are_relative_to_their_pyproject(repo):
    put(repo, "sub/pkg/gen/g.py", "sub/pkg/p.py", "pkg/gen/kept.py")
    (repo / "sub" / "pyproject.toml").write_text('[tool.jaxloop]\nextend-exclude = ["pkg/gen"]\n')
    assert found(repo) == ["pkg/gen/kept.py", "sub/pkg/p.py"]


def test_named_files_are_checked_unless_force_exclude(repo, tmp_path):
    put(repo, "a.py", "build/b.py", "gen/g.py", ".hidden/h.py", "vendor/v.py")
    (repo / ".gitignore").write_text("gen/\n")
    (repo / "pyproject.toml").write_text('[tool.jaxloop]\nextend-exclude = ["vendor"]\n')
    named = ["a.py", "build/b.py", "gen/g.py", ".hidden/h.py", "vendor/v.py"]
    home = tmp_path / "home"
    proc = jaxloop_fix("--check", *named, cwd=repo, home=home)
    assert proc.stderr.splitlines()[-2].startswith("5 files")
    proc = jaxloop_fix("--check", "--force-exclude", *named, cwd=repo, home=home)
    assert proc.stderr.splitlines()[-2].startswith("1 file ")
    (repo / "pyproject.toml").write_text(
        '[tool.jaxloop]\nextend-exclude = ["vendor"]\nforce-exclude = true\n')
    proc = jaxloop_fix("--check", *named, cwd=repo, home=home)
    assert proc.stderr.splitlines()[-2].startswith("1 file ")


def test_a_named_directory_is_walked_even_if_excluded(repo, tmp_path):
    put(repo, "build/b.py", "build/gen/g.py")
    (repo / ".gitignore").write_text("gen/\n")
    proc = jaxloop_fix("--check", "build", cwd=repo, home=tmp_path / "home")
    assert proc.stderr.splitlines()[-2].startswith("1 file ")


def test_the_walk_through_the_cli_with_exclude_options(repo, tmp_path):
    put(repo, "a.py", "vendor/v.py", "build/b.py")
    proc = jaxloop_fix("--check", "--exclude", "vendor", "--extend-exclude", "a.py", ".",
                       cwd=repo, home=tmp_path / "home")
    assert proc.stderr.splitlines()[-2].startswith("1 file ")  # build/b.py


# ------------------------------------------------------------------------------------------
# The gitignore matcher against git itself


PATTERNS = """\
*.log
!important.log
build/
/root_only.py
docs/*.py
**/gen/**
a/**/b.py
[abc]x.py
[!q]z.py
\\#hash.py
sub/deep/
?.tmp.py
**/cache
nested/*/file.py
""" + "trailing\\ \n"  # an escaped trailing space is kept

PATHS = ["x.log", "important.log", "d/x.log", "build", "d/build", "root_only.py",
         "d/root_only.py", "docs/x.py", "docs/d/x.py", "gen/x.py", "d/gen/x.py", "a/b.py",
         "a/x/y/b.py", "ax.py", "dx.py", "qz.py", "rz.py", "#hash.py", "trailing ",
         "sub/deep", "q.tmp.py", "qq.tmp.py", "cache", "d/cache", "nested/x/file.py",
         "nested/x/y/file.py", "plain.py"]


@pytest.mark.skipif(shutil.which("git") is None, reason="compares with git check-ignore")
def test_the_matcher_agrees_with_git(tmp_path):
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    (tmp_path / ".gitignore").write_text(PATTERNS)
    dirs = {"build", "d/build", "sub/deep", "cache", "d/cache"}
    proc = subprocess.run(["git", "-C", str(tmp_path), "check-ignore", "--no-index", "--stdin"],
                          input="".join(p + ("/" if p in dirs else "") + "\n" for p in PATHS),
                          capture_output=True, text=True)
    by_git = {line.rstrip("/") for line in proc.stdout.splitlines()}
    stack = [gitignore.parse(PATTERNS, str(tmp_path))]
    ours = {p for p in PATHS if gitignore.ignored(stack, str(tmp_path / p), p in dirs)}
    assert ours == by_git and len(by_git) > 10


def test_a_hostile_gitignore_does_not_stall_the_walk(repo, tmp_path):
    """Backtracking regexes took minutes on `**/a/**/a/...` against a deep path; the matcher
    now goes one path component at a time."""
    deep = repo.joinpath(*["a"] * 120)
    put(deep, "c.py")
    put(repo, "b" * 200 + ".py")
    (repo / ".gitignore").write_text("/".join(["**", "a"] * 12) + "/b\n"
                                     + "*a" * 30 + "*b\n" + "x*" * 40 + "\n")
    proc = jaxloop_fix("--check", ".", cwd=repo, home=tmp_path / "home", timeout=60)
    assert proc.returncode == 0 and proc.stderr.splitlines()[-2].startswith("2 files")
