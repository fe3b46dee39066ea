"""The flake8 adapter, driven through the real flake8 command line."""
from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

RNN = textwrap.dedent("""\
    import jax
    import jax.numpy as jnp


    @jax.jit
    def rnn(w, h, xs):
        outs = []
        for x in xs:
            h = jnp.tanh(w @ h + x)
            outs.append(h)
        return jnp.stack(outs)
""")


def flake8(tmp_path: Path, *args: str, files: dict[str, str]) -> subprocess.CompletedProcess:
    for name, text in files.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(text.encode("utf-8") if isinstance(text, str) else text)
    return subprocess.run([sys.executable, "-m", "flake8", "--isolated", *args, *files],
                          cwd=tmp_path, capture_output=True, text=True, timeout=120)


def test_reports_with_flake8_columns(tmp_path):
    out = flake8(tmp_path, "--select=JXL", files={"rnn.py": RNN})
    assert out.returncode == 1, out.stderr
    lines = out.stdout.splitlines()
    # flake8 prints 1-based columns: `for` at col_offset 4 shows as 5, `outs` at 8 as 9.
    assert lines[0].startswith("rnn.py:8:5: JXL101 ")
    assert lines[1].startswith("rnn.py:10:9: JXL201 ")
    assert len(lines) == 2


def test_plugin_is_registered():
    out = subprocess.run([sys.executable, "-m", "flake8", "--version"], capture_output=True,
                         text=True, timeout=60)
    assert "jaxloop-lint" in out.stdout


def test_noqa_bare_and_with_code(tmp_path):
    text = RNN.replace("for x in xs:", "for x in xs:  # noqa: JXL101").replace(
        "outs.append(h)", "outs.append(h)  # noqa")
    out = flake8(tmp_path, "--select=JXL", files={"rnn.py": text})
    assert out.returncode == 0, out.stdout
    text = RNN.replace("for x in xs:", "for x in xs:  # noqa: JXL201")
    out = flake8(tmp_path, "--select=JXL", files={"rnn.py": text})
    assert "JXL101" in out.stdout  # a noqa for another code does not silence this one


def test_select_and_extend_ignore(tmp_path):
    out = flake8(tmp_path, "--select=JXL2", files={"rnn.py": RNN})
    assert "JXL201" in out.stdout and "JXL101" not in out.stdout
    out = flake8(tmp_path, "--select=JXL", "--extend-ignore=JXL201", files={"rnn.py": RNN})
    assert "JXL101" in out.stdout and "JXL201" not in out.stdout


def test_per_file_ignores(tmp_path):
    out = flake8(tmp_path, "--select=JXL", "--per-file-ignores=legacy/*.py:JXL",
                 files={"legacy/rnn.py": RNN, "new/rnn.py": RNN})
    assert "new/rnn.py:8:5: JXL101" in out.stdout
    assert "legacy" not in out.stdout


def test_syntax_error_is_flake8s_e999_not_a_crash(tmp_path):
    out = flake8(tmp_path, files={"bad.py": "import jax\ndef f(:\n    pass\n"})
    assert "E999" in out.stdout
    assert "Traceback" not in out.stderr and "JXL" not in out.stdout


def test_non_ascii_line_gives_character_columns(tmp_path):
    text = RNN.replace("        outs.append(h)", "        é = 1; outs.append(h)")
    out = flake8(tmp_path, "--select=JXL201", files={"rnn.py": text})
    # `outs` starts at character 15 (0-based), byte 16: flake8 must print 16.
    assert "rnn.py:10:16: JXL201" in out.stdout, out.stdout


def test_extra_jit_decorator_option(tmp_path):
    text = textwrap.dedent("""\
        import jax.numpy as jnp
        from mypkg.compile import my_jit


        @my_jit
        def total(xs, n):
            acc = jnp.zeros(())
            for i in range(n):
                acc = acc + xs[i]
            return acc
    """)
    out = flake8(tmp_path, "--select=JXL", files={"m.py": text})
    assert out.stdout == ""
    out = flake8(tmp_path, "--select=JXL", "--jaxloop-extra-jit-decorators=mypkg.compile.my_jit",
                 files={"m.py": text})
    assert "m.py:8:5: JXL103" in out.stdout


@pytest.mark.parametrize("payload", [
    b"",
    b"\xef\xbb\xbfimport jax\n@jax.jit\ndef f(xs):\n    for x in xs:\n        xs = xs + x\n",
    b"import jax\r\n@jax.jit\r\ndef f(xs):\r\n    for x in xs:\r\n        xs = xs + x\r\n",
    b"# -*- coding: latin-1 -*-\nimport jax\ns = '\xe9'\n@jax.jit\ndef f(xs):\n"
    b"    for x in xs:\n        xs = xs + x\n",
])
def test_bad_input_never_crashes_the_plugin(tmp_path, payload):
    out = flake8(tmp_path, "--select=JXL,E999", files={"f.py": payload})
    assert "Traceback" not in out.stderr, out.stderr
    if payload:
        assert "f.py:" in out.stdout and "JXL101" in out.stdout, out.stdout
