"""``[tool.jaxloop]`` in pyproject.toml, read alike by jaxloop-fix, the flake8 plugin and the
editor server (tests/test_lsp.py): discovery, every key, precedence, and bad configuration."""
from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from conftest import HALVE_PROGRAM, RNN_PROGRAM

from fixers import cli
from jaxloop_lint.project_config import ConfigError, find_pyproject, for_path

# JXL101 + JXL201 (safe fixes) in `rnn`; JXL104 (no fix: print in the body) in `halve`.
SRC = RNN_PROGRAM.replace("import jax\n", "import jax\nimport mypkg\n") + textwrap.dedent('''\


    @mypkg.my_jit
    def halve(x, tol):
        while jnp.abs(x) > tol:
            print(x)
            x = x / 2
        return x
''')


def project(tmp_path: Path, table: str, files: dict[str, str] | None = None) -> Path:
    (tmp_path / ".git").mkdir(parents=True)
    (tmp_path / "pyproject.toml").write_text(
        '[project]\nname = "demo"\n\n[tool.jaxloop]\n' + textwrap.dedent(table))
    for name, text in (files or {"src/model.py": SRC}).items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text)
    return tmp_path


def check(capsys, *argv) -> tuple[int, list[str], str]:
    rc = cli.main(["--check", *map(str, argv)])
    out, err = capsys.readouterr()
    return rc, [line.split(" ")[1] for line in out.splitlines()], err


def test_discovery_skips_a_pyproject_without_the_table_and_stops_at_the_repo(tmp_path):
    root = project(tmp_path / "repo", 'select = ["JXL1"]\n')
    (root / "src" / "pyproject.toml").write_text('[project]\nname = "sub"\n')
    assert find_pyproject(str(root / "src" / "model.py")) == root / "pyproject.toml"
    # Above the directory holding .git nothing is looked at, even a pyproject.toml with the table.
    (tmp_path / "pyproject.toml").write_text('[tool.jaxloop]\nselect = ["JXL2"]\n')
    other = tmp_path / "other"
    (other / ".git").mkdir(parents=True)
    assert find_pyproject(str(other / "x.py")) is None
    assert for_path(str(other / "x.py")).select == ()
    assert for_path(str(tmp_path / "x.py")).select == ("JXL2",)


def test_cli_reads_select_ignore_and_extra_decorators(tmp_path, capsys):
    root = project(tmp_path, 'extra-jit-decorators = ["mypkg.my_jit"]\n')
    assert check(capsys, root)[:2] == (1, ["JXL101", "JXL201", "JXL104"])
    project_file = root / "pyproject.toml"
    project_file.write_text(project_file.read_text() + 'ignore = ["JXL2"]\n')
    assert check(capsys, root)[1] == ["JXL101", "JXL104"]
    project_file.write_text(project_file.read_text() + 'select = ["JXL104"]\n')
    assert check(capsys, root)[1] == ["JXL104"]
    # The command line replaces select / ignore.
    assert check(capsys, "--select", "JXL2", "--ignore", "JXL104", root)[1] == ["JXL201"]


def test_per_file_ignores_are_globs_under_the_pyproject(tmp_path, capsys):
    root = project(tmp_path, '''\
        extra-jit-decorators = ["mypkg.my_jit"]
        [tool.jaxloop.per-file-ignores]
        "tests/*" = ["JXL1"]
        "legacy_*.py" = ["JXL"]
    ''', {"src/model.py": SRC, "tests/test_model.py": SRC, "src/legacy_rnn.py": SRC})
    rc, codes, _ = check(capsys, root)
    assert codes == ["JXL101", "JXL201", "JXL104", "JXL201"]  # src/model.py, then tests/
    # Also when the command line names the file from another working directory.
    assert check(capsys, root / "tests" / "test_model.py")[1] == ["JXL201"]


def test_unsafe_fixes_and_flax_api_reach_the_fixer(tmp_path, capsys):
    root = project(tmp_path, "unsafe-fixes = false\n", {"halve.py": HALVE_PROGRAM})
    assert cli.main([str(root / "halve.py")]) == 1  # the while_loop fix is unsafe
    assert "while_loop" not in (root / "halve.py").read_text()
    (root / "pyproject.toml").write_text(
        '[tool.jaxloop]\nunsafe-fixes = true\nflax-api = "legacy"\n')
    assert cli.main([str(root / "halve.py")]) == 0
    assert "jax.lax.while_loop" in (root / "halve.py").read_text()
    capsys.readouterr()


@pytest.mark.parametrize("table, message", [
    ('selct = ["JXL1"]\n', "[tool.jaxloop] selct: unknown key"),
    ('select = "JXL1", \n', "invalid TOML"),
    ("select = 3\n", "[tool.jaxloop] select: must be a list of strings, not an integer"),
    ('ignore = ["JXL999"]\n', "[tool.jaxloop] ignore: 'JXL999' is not a jaxloop-lint code"),
    ('ignore = ["E501"]\n', "[tool.jaxloop] ignore: 'E501' is not a jaxloop-lint code"),
    ('flax-api = "new"\n', "[tool.jaxloop] flax-api: must be one of 'auto', 'current', "
                           "'legacy', not 'new'"),
    ('unsafe-fixes = "yes"\n', "[tool.jaxloop] unsafe-fixes: must be true or false, not a string"),
    ('per-file-ignores = ["x"]\n', "[tool.jaxloop] per-file-ignores: must be a table"),
    ('[tool.jaxloop.per-file-ignores]\n"t/*" = ["JXL9"]\n',
     "[tool.jaxloop] per-file-ignores.'t/*': 'JXL9' is not a jaxloop-lint code"),
])
def test_bad_config_is_one_error_naming_file_and_key_exit_2(tmp_path, capsys, table, message):
    root = project(tmp_path, table)
    before = (root / "src" / "model.py").read_bytes()
    rc = cli.main([str(root)])
    out, err = capsys.readouterr()
    assert rc == 2 and out == ""
    assert err.count("\n") == 1 and err.startswith("jaxloop-fix: error: ")
    assert str(root / "pyproject.toml") in err and message in err
    assert (root / "src" / "model.py").read_bytes() == before
    with pytest.raises(ConfigError, match="pyproject.toml"):
        for_path(str(root / "src" / "model.py"))


def flake8(cwd: Path, *args: str) -> subprocess.CompletedProcess:
    # No --isolated: it would also stop flake8 reading its own config, which we test below.
    return subprocess.run([sys.executable, "-m", "flake8", "--select=JXL", *args, "src"],
                          cwd=cwd, capture_output=True, text=True, timeout=120)


def test_flake8_plugin_reads_the_same_table(tmp_path):
    root = project(tmp_path, 'ignore = ["JXL201"]\nextra-jit-decorators = ["mypkg.my_jit"]\n')
    out = flake8(root)
    assert [line.split(" ")[1] for line in out.stdout.splitlines()] == ["JXL101", "JXL104"]
    # flake8's own option, when set, wins over the table for the decorators.
    (root / ".flake8").write_text("[flake8]\njaxloop-extra-jit-decorators = other.jit\n")
    out = flake8(root)
    assert [line.split(" ")[1] for line in out.stdout.splitlines()] == ["JXL101"]


def test_flake8_bad_config_is_a_clear_error(tmp_path):
    root = project(tmp_path, 'flax-api = "new"\n')
    out = flake8(root)
    assert out.returncode != 0
    assert "[tool.jaxloop] flax-api: must be one of" in out.stdout
    assert "Traceback" not in out.stderr
