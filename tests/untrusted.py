"""Helpers for the tests of hostile trees: run ``jaxloop-fix`` as a user does, from a directory
(the tree under review), with a home cache directory of its own.

The subprocess imports the same ``fixers`` as this test process (``PYTHONPATH``), so these tests
can also be pointed at another checkout of the tool (``cd <old checkout> && python -m pytest
<this file>``) to show an attack working against it.
"""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Optional

import fixers

ROOT = Path(fixers.__file__).resolve().parent.parent

# Reading /dev/zero into memory ends in a MemoryError well before this; the tool itself stays
# far below it (it never imports jax).
MEMORY_LIMIT = 1024 * 1024 * 1024

FOUR_FINDINGS = '''\
import jax
import jax.numpy as jnp


@jax.jit
def rnn(w, h, xs: jax.Array):
    outs = []
    for x in xs:
        h = jnp.tanh(w @ h + x)
        outs.append(h)
    return h, jnp.stack(outs)


@jax.jit
def halve(x, tol):
    while jnp.abs(x) > tol:
        print(x)
        x = x / 2
    return x


@jax.jit
def count(n):
    total = 0
    for i in range(n):
        total = total + i
    return total
'''


def env_for(home: Path, **extra: str) -> dict:
    env = dict(os.environ)
    env.pop("JAXLOOP_CACHE_DIR", None)
    env.update(XDG_CACHE_HOME=str(home), PYTHONPATH=str(ROOT), **extra)
    return env


# The limit is set in the child itself (no preexec_fn: forking a test process that has loaded
# jax, which runs threads, may deadlock).
_LIMITED = ("import resource, runpy, sys; "
            f"resource.setrlimit(resource.RLIMIT_AS, ({MEMORY_LIMIT}, {MEMORY_LIMIT})); "
            "sys.argv[0] = 'jaxloop-fix'; runpy.run_module('fixers.cli', run_name='__main__')")


def jaxloop_fix(*args, cwd: Path, home: Path, timeout: float = 120, limit_memory: bool = False,
                env: Optional[dict] = None) -> subprocess.CompletedProcess:
    """The CLI in ``cwd``; a hang raises ``subprocess.TimeoutExpired`` (the test fails)."""
    start = ["-c", _LIMITED] if limit_memory else ["-m", "fixers.cli"]
    return subprocess.run([sys.executable, *start, *map(str, args)], cwd=cwd,
                          env=env or env_for(home), capture_output=True, text=True,
                          timeout=timeout)


def assert_clean_exit(proc: subprocess.CompletedProcess) -> None:
    for text in (proc.stdout, proc.stderr):
        assert "Traceback" not in text and "MemoryError" not in text, text[-3000:]


def error_lines(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if ": error: " in line]


def files_under(directory: Path) -> set[str]:
    return {str(p.relative_to(directory)) for p in directory.rglob("*")}
