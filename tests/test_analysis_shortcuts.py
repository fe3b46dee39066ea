"""The analysis's shortcuts for speed give what the slow way gives: the index skips expressions
on lines that name no kept call; a finished analysis with no plan to hand out frees itself."""
from __future__ import annotations

import ast
import gc
import textwrap
from pathlib import Path

import pytest

from jaxloop_lint import lint_source
from jaxloop_lint.analysis.index import FunctionInfo, ModuleIndex, call_lines

ROOT = Path(__file__).resolve().parents[1]
FILES = sorted((ROOT / "tests" / "fixtures").glob("*/*.py")) + sorted(
    (ROOT / "examples").rglob("*.py"))

TRICKY = '''\
import functools
import jax
from jax import lax as L, jit

def body(c, x):
    return c, x

a = jax.jit(body)
b = (jax.jit)(body)
c = ((jax.vmap))  (body)
d = jax.lax.scan(
    body, 0, None)
e = jax.grad  \\
    (body)
f = [jax.vmap  # a comment between the callee and its call
     (body)]
g = {"k": L.fori_loop(0, 3, lambda i, c: c, 0)}
h = functools.partial(jit, static_argnums=0)
i = lambda: L.while_loop(lambda c: c, lambda c: c, 0)
j = jit
k = f"{jax.jit(body)}"

@jax.jit
def outer(x, y=jax.vmap(body)):
    class Inner:
        z = L.cond(True, body, body)
    def inner(q):
        return L.map(body, q)
    return x
'''


def summary(index: ModuleIndex):
    return ([(site.call.lineno, site.call.col_offset, site.qualname,
              site.scope.qualname if site.scope else None) for site in index.calls],
            [fn.qualname for fn in index.functions], list(index.classes),
            dict(index.imports.names))


@pytest.mark.parametrize("path", FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_the_skipping_walk_finds_what_the_full_walk_finds(path):
    text = path.read_text(encoding="utf-8")
    tree = ast.parse(text)
    assert summary(ModuleIndex(tree, text.splitlines(True))) == summary(ModuleIndex(tree))


def test_callees_in_every_spelling_are_found():
    tree = ast.parse(TRICKY)
    skipping = ModuleIndex(tree, TRICKY.splitlines(True))
    assert summary(skipping) == summary(ModuleIndex(tree))
    assert len(skipping.calls) == 12


def test_call_lines_marks_callees_only():
    text = textwrap.dedent('''\
        x = jax.jit(f)
        y = jax.jit
        z = g(kernel, kernel_init)
        w = (jax.jit)(f)
        v = jax.vmap
    ''') + "u = jax.grad \\\n (f)\n"
    assert call_lines(text.splitlines(True)) == [1, 4, 6]
    assert call_lines(["x = jax.jit(f)  # caf\u00e9\n"]) is None  # non-ASCII: walk it all


def live_function_infos() -> int:
    return sum(1 for o in gc.get_objects() if isinstance(o, FunctionInfo))


NESTED = '''\
import jax
import flax.linen as nn


class Block(nn.Module):
    def helper(self, x):
        def inner(y):
            return y * 2
        return inner(x)

    def __call__(self, x):
        return self.helper(x)


@jax.jit
def outer(x):
    def middle(y):
        def innermost(z):
            return z + 1
        return innermost(y)
    return middle(x)
'''


def test_an_analysis_without_plans_is_freed_without_the_cycle_collector():
    assert lint_source(NESTED, "m.py") == []
    gc.collect()
    before = live_function_infos()
    gc.disable()
    try:
        lint_source(NESTED, "m.py")
        left = live_function_infos() - before
    finally:
        gc.enable()
    assert left == 0
