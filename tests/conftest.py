"""Shared test configuration.

``@pytest.mark.needs_rewriter`` marks tests that need ``fixers.apply.fix_source`` to actually
rewrite code. If it applies no (safe) fix to ``RNN_PROGRAM`` they fail: they never skip.
"""
from __future__ import annotations

import functools
import sys
from pathlib import Path

import pytest

RNN_PROGRAM = '''\
import jax
import jax.numpy as jnp


@jax.jit
def rnn(w, h, xs: jax.Array):
    outs = []
    for x in xs:
        h = jnp.tanh(w @ h + x)
        outs.append(h)
    return h, jnp.stack(outs)
'''

# JXL104 whose only fix, jax.lax.while_loop, is unsafe (not reverse-differentiable).
HALVE_PROGRAM = '''\
import jax
import jax.numpy as jnp


@jax.jit
def halve(x, tol):
    while jnp.abs(x) > tol:
        x = x / 2
    return x
'''


@functools.lru_cache(maxsize=None)
def rewriter_applies_fixes() -> bool:
    from fixers.apply import fix_source

    return bool(fix_source(RNN_PROGRAM, "rnn.py").applied)


def pytest_configure(config):
    config.addinivalue_line(
        "markers",
        "needs_rewriter: needs fix_source to rewrite the RNN reference program; skipped until "
        "it applies a fix to it")
    config.addinivalue_line(
        "markers",
        "precommit: runs the real pre-commit, which builds hook environments with pip; skipped "
        "only when JAXLOOP_SKIP_PRECOMMIT=1")


def pytest_runtest_setup(item):
    if item.get_closest_marker("needs_rewriter") is not None and not rewriter_applies_fixes():
        pytest.fail("fix_source applies no safe fix to the RNN reference program")


def installed(name: str) -> str:
    """The path of one of this environment's commands (``jaxloop-fix``), for tests that run it
    as a user does; the test skips where the package is not installed."""
    path = Path(sys.executable).parent / name
    if not path.exists():
        pytest.skip(f"{name} is not installed in this environment (pip install -e .)")
    return str(path)


@pytest.fixture
def rnn_program() -> str:
    return RNN_PROGRAM


@pytest.fixture(autouse=True)
def _private_result_cache(tmp_path_factory, monkeypatch):
    """Each test gets its own jaxloop-fix cache, so no result leaks from one test to another
    (and none into the working tree); the run's user cache directory (where the cache's key
    lives, and the cache when no directory is chosen) is the session's own, never the home's."""
    monkeypatch.setenv("JAXLOOP_CACHE_DIR", str(tmp_path_factory.mktemp("jaxloop_cache")))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.getbasetemp() / "xdg-cache"))
