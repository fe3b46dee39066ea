"""Shared test configuration.

``@pytest.mark.needs_rewriter`` marks tests that need ``fixers.apply.fix_source`` to actually
rewrite code. They skip themselves while it applies no fix to ``RNN_PROGRAM`` (the renderer has
not landed yet) and turn on by themselves once it does.
"""
from __future__ import annotations

import functools

import pytest

RNN_PROGRAM = '''\
import jax
import jax.numpy as jnp


@jax.jit
def rnn(w, h, xs):
    outs = []
    for x in xs:
        h = jnp.tanh(w @ h + x)
        outs.append(h)
    return h, jnp.stack(outs)
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


def pytest_runtest_setup(item):
    if item.get_closest_marker("needs_rewriter") is not None and not rewriter_applies_fixes():
        pytest.skip("the rewriter has not landed: fix_source applies no fix to the RNN program")


@pytest.fixture
def rnn_program() -> str:
    return RNN_PROGRAM
