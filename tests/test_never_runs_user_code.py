"""The linter and the fixer only parse: a file whose import, or whose run as a script, has side
effects is never executed by lint_source / fix_source, jaxloop-fix or the flake8 plugin.

Every planted file writes a marker file and then calls ``os._exit(3)``: if any front end ran one,
the marker exists and that process exits 3 instead of 0/1.
"""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from conftest import RNN_PROGRAM  # noqa: E402

BIN = Path(sys.executable).parent
ROOT = Path(__file__).resolve().parent.parent


def _payload(marker: Path, name: str) -> str:
    return (f"import os\nopen({str(marker)!r}, 'a').write({name!r} + '\\n')\nos._exit(3)\n")


@pytest.fixture
def planted(tmp_path):
    """A project whose modules all have side effects, one with a loop the fixer rewrites."""
    marker = tmp_path / "MARKER"
    project = tmp_path / "project"
    project.mkdir()
    files = {
        "model.py": _payload(marker, "model.py") + RNN_PROGRAM,       # runs on import
        "__init__.py": _payload(marker, "__init__.py"),
        "__main__.py": _payload(marker, "__main__.py"),
        "setup.py": _payload(marker, "setup.py") + "import jax\n",
        "conftest.py": _payload(marker, "conftest.py") + "import jax\n",
        # shadow the names a linter might be tempted to import
        "jax.py": _payload(marker, "jax.py"),
        "flax.py": _payload(marker, "flax.py"),
        "script.py": RNN_PROGRAM + "\n\nif __name__ == '__main__':\n"
                     + "".join(f"    {line}\n" for line in _payload(marker, "script.py").splitlines()),
        # code that runs at class-body / decorator evaluation time
        "decorated.py": RNN_PROGRAM.replace("@jax.jit", "@(__import__('os')._exit(3) or jax.jit)"),
    }
    for name, text in files.items():
        (project / name).write_text(text)
    return project, marker


def _run(args, cwd) -> subprocess.CompletedProcess:
    return subprocess.run([str(a) for a in args], cwd=cwd, capture_output=True, text=True,
                          timeout=300)


def test_core_only_parses(planted):
    project, marker = planted
    script = (
        "import sys, pathlib\n"
        "from jaxloop_lint import lint_source\n"
        "from fixers.apply import fix_source\n"
        "for p in sorted(pathlib.Path(sys.argv[1]).glob('*.py')):\n"
        "    text = p.read_text()\n"
        "    lint_source(text, str(p))\n"
        "    fix_source(text, str(p), unsafe=True)\n"
        "print('done')\n")
    # cwd = the project, so its jax.py / flax.py would win any import by those names
    proc = _run([sys.executable, "-c", script, project], cwd=project)
    assert (proc.returncode, proc.stdout) == (0, "done\n"), proc.stderr
    assert not marker.exists()


@pytest.mark.parametrize("mode", [["--check"], ["--diff"], ["--unsafe-fixes"]])
def test_jaxloop_fix_only_parses(planted, mode):
    project, marker = planted
    proc = _run([BIN / "jaxloop-fix", *mode, project], cwd=project)
    assert proc.returncode in (0, 1), proc.stderr
    assert not marker.exists()
    if mode == ["--unsafe-fixes"]:   # it did process the files: the loops were rewritten
        assert "jax.lax.scan" in (project / "model.py").read_text()
        assert "jax.lax.scan" in (project / "script.py").read_text()
    elif mode == ["--diff"]:
        assert "+    h, outs = jax.lax.scan(rnn_step, h, xs)" in proc.stdout
    else:
        assert "model.py:" in proc.stdout and "JXL101" in proc.stdout


def test_flake8_plugin_only_parses(planted):
    project, marker = planted
    # python -m puts the cwd first on sys.path: the project's jax.py shadows the real jax
    proc = _run([sys.executable, "-m", "flake8", "--select=JXL", "."], cwd=project)
    assert proc.returncode == 1, proc.stderr
    assert "./model.py:" in proc.stdout and "JXL101" in proc.stdout
    assert not marker.exists()
