"""Input the core must survive: it raises SourceError with one line, or lints normally."""
from __future__ import annotations

import pytest

from jaxloop_lint import SourceError, lint_source

LOOP = "import jax\n@jax.jit\ndef f(xs):\n    for x in xs:\n        xs = xs + x\n    return xs\n"


def codes(data):
    return [(d.code, d.line, d.col) for d in lint_source(data, "f.py")]


def test_syntax_error_is_one_line():
    with pytest.raises(SourceError) as err:
        lint_source("import jax\ndef f(:\n", "f.py")
    assert "\n" not in str(err.value) and "line 2" in str(err.value)


def test_empty_file():
    assert lint_source(b"") == [] and lint_source("") == []


def test_invalid_utf8_bytes():
    with pytest.raises(SourceError) as err:
        lint_source(b"import jax\nx = '\xff\xfe'\n")
    assert "decode" in str(err.value)


def test_coding_cookie_is_honoured():
    data = b"# -*- coding: latin-1 -*-\nname = '\xe9'\n" + LOOP.encode()
    assert codes(data) == [("JXL101", 6, 4)]


def test_bom_and_crlf():
    assert codes(b"\xef\xbb\xbf" + LOOP.encode()) == [("JXL101", 4, 4)]
    assert codes(LOOP.replace("\n", "\r\n").encode()) == [("JXL101", 4, 4)]
    assert codes(LOOP.replace("\n", "\r\n")) == [("JXL101", 4, 4)]


def test_tabs_and_form_feeds():
    src = LOOP.replace("        ", "\t\t").replace("    ", "\t")
    assert codes(src) == [("JXL101", 4, 1)]
    assert codes("\f" + LOOP) == [("JXL101", 4, 4)]


def test_null_bytes():
    with pytest.raises(SourceError):
        lint_source("import jax\nx = 1\x00\n")


def test_deeply_nested_expression_does_not_escape_recursion_error():
    src = "import jax\n@jax.jit\ndef f(x):\n    return " + "(" * 5000 + "x" + ")" * 5000 + "\n"
    try:
        lint_source(src)
    except SourceError as err:
        assert "nested" in str(err)


def test_one_megabyte_generated_file():
    parts = ["import jax\nimport jax.numpy as jnp\n"]
    i = 0
    size = loops = 0
    while size < 1_000_000:
        if i % 10 == 0:  # one function in ten has a loop to rewrite
            part = (f"\n@jax.jit\ndef f{i}(xs, w):\n    outs = []\n    for x in xs:\n"
                    f"        outs.append(jnp.tanh(w @ x))\n    return jnp.stack(outs)\n")
            loops += 1
        else:
            part = (f"\n@jax.jit\ndef f{i}(x, w):\n    y = jnp.tanh(w @ x) * {i}\n"
                    f"    return jnp.sum(y ** 2) + jnp.mean(x)\n")
        parts.append(part)
        size += len(part)
        i += 1
    found = lint_source("".join(parts))
    assert len(found) == 2 * loops
    assert {d.code for d in found} == {"JXL101", "JXL201"}
