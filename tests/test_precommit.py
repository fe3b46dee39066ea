"""The pre-commit hooks, run by the real ``pre-commit try-repo`` on a throwaway git repository.

pre-commit builds the hooks' environment with pip, which needs the package index. Where it
cannot be reached, set ``JAXLOOP_SKIP_PRECOMMIT=1``: the tests then skip and say why. Nothing
else skips them (CI runs them).
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import RNN_PROGRAM

ROOT = Path(__file__).resolve().parent.parent

pytestmark = [
    pytest.mark.precommit,
    pytest.mark.skipif(os.environ.get("JAXLOOP_SKIP_PRECOMMIT") == "1",
                       reason="JAXLOOP_SKIP_PRECOMMIT=1: pre-commit cannot build its envs here"),
]

GIT_ENV = {"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.com",
           "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.com",
           "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}


def git(cwd: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True,
                   env={**os.environ, **GIT_ENV}, timeout=120)


@pytest.fixture(scope="module")
def hook_repo(tmp_path_factory) -> Path:
    """This working tree (tracked and new files, not ignored ones) committed to a fresh repo:
    try-repo installs a repository's committed state, and that must be the code under test."""
    listed = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
                            cwd=ROOT, capture_output=True, check=True, timeout=60).stdout
    repo = tmp_path_factory.mktemp("hook-repo")
    for name in filter(None, listed.decode().split("\0")):
        source = ROOT / name
        if source.is_file():
            (repo / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, repo / name)
    git(repo, "init", "-q")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "snapshot")
    return repo


@pytest.fixture(scope="module")
def pre_commit_home(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("pre-commit-home")  # both hooks share one environment


def project(tmp_path: Path) -> Path:
    tmp_path.mkdir(parents=True, exist_ok=True)
    git(tmp_path, "init", "-q")
    (tmp_path / "rnn.py").write_text(RNN_PROGRAM)
    git(tmp_path, "add", "rnn.py")
    return tmp_path


def try_repo(cwd: Path, repo: Path, home: Path, hook: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "pre_commit", "try-repo", str(repo), hook, "--all-files"],
        cwd=cwd, capture_output=True, text=True, timeout=900,
        env={**os.environ, **GIT_ENV, "PRE_COMMIT_HOME": str(home)})


def test_check_hook_fails_and_writes_nothing(tmp_path, hook_repo, pre_commit_home):
    cwd = project(tmp_path)
    out = try_repo(cwd, hook_repo, pre_commit_home, "jaxloop-check")
    assert out.returncode == 1, out.stdout + out.stderr
    assert "jaxloop-check" in out.stdout and "Failed" in out.stdout
    assert "rnn.py:8:5: JXL101" in out.stdout
    assert (cwd / "rnn.py").read_text() == RNN_PROGRAM


def test_fix_hook_rewrites_then_passes(tmp_path, hook_repo, pre_commit_home):
    cwd = project(tmp_path)
    first = try_repo(cwd, hook_repo, pre_commit_home, "jaxloop-fix")
    assert first.returncode == 1, first.stdout + first.stderr
    assert "files were modified by this hook" in first.stdout
    fixed = (cwd / "rnn.py").read_text()
    assert "jax.lax.scan(" in fixed and "for x in xs" not in fixed
    git(cwd, "add", "rnn.py")
    second = try_repo(cwd, hook_repo, pre_commit_home, "jaxloop-fix")
    assert second.returncode == 0, second.stdout + second.stderr
    assert "Passed" in second.stdout
    assert (cwd / "rnn.py").read_text() == fixed


# ------------------------------------------------------------------------------------------
# flake8 with the plugin, from a local checkout and offline (docs/integrations.md)

LOCAL_FLAKE8 = """\
repos:
  - repo: local
    hooks:
      - id: flake8
        name: flake8
        entry: flake8 --select=JXL
        language: python
        types: [python]
        additional_dependencies: ["{dependency}"]
"""


def run_local_hook(cwd: Path, home: Path, dependency: str, **env: str):
    (cwd / ".pre-commit-config.yaml").write_text(LOCAL_FLAKE8.format(dependency=dependency))
    git(cwd, "add", ".pre-commit-config.yaml")
    return subprocess.run(
        [sys.executable, "-m", "pre_commit", "run", "flake8", "--all-files"],
        cwd=cwd, capture_output=True, text=True, timeout=900,
        env={**os.environ, **GIT_ENV, "PRE_COMMIT_HOME": str(home), **env})


def test_flake8_hook_from_a_local_checkout(tmp_path, hook_repo):
    """``repo: local`` with the checkout as a file URL in additional_dependencies."""
    cwd = project(tmp_path / "project")
    out = run_local_hook(cwd, tmp_path / "home", f"jaxloop-lint @ {hook_repo.as_uri()}")
    assert out.returncode == 1, out.stdout + out.stderr
    assert "rnn.py:8:5: JXL101 " in out.stdout and "flake8" in out.stdout


def test_flake8_hook_offline_from_a_wheelhouse(tmp_path, hook_repo):
    """The offline recipe: one `pip wheel` while online, then the hook's environment is built
    with no package index at all (PIP_NO_INDEX), from the wheelhouse alone."""
    wheels = tmp_path / "wheels"
    # setuptools too: pre-commit builds its own placeholder package for a `repo: local` hook
    built = subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "-w", str(wheels),
                            str(hook_repo), "setuptools"], capture_output=True, text=True,
                           timeout=900)
    assert built.returncode == 0, built.stderr
    assert any(p.name.startswith("jaxloop_lint-") for p in wheels.iterdir())
    cwd = project(tmp_path / "project")
    out = run_local_hook(cwd, tmp_path / "home", "jaxloop-lint", PIP_NO_INDEX="1",
                         PIP_FIND_LINKS=str(wheels))
    assert out.returncode == 1, out.stdout + out.stderr
    assert "rnn.py:8:5: JXL101 " in out.stdout
