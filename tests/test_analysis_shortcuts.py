"""The analysis's shortcuts for speed give what the slow way gives: the index skips expressions
on lines that name no kept call; only functions that hold a loop or an item store, or name one
that does, are evaluated; a finished analysis with no plan to hand out frees itself."""
from __future__ import annotations

import ast
import gc
import textwrap
from pathlib import Path

import pytest

from jaxloop_lint import lint_source, rules
from jaxloop_lint.analysis.index import _CALL_TAILS, FunctionInfo, ModuleIndex
from jaxloop_lint.analysis.source_text import SourceText
from jaxloop_lint.analysis.model import analyze
from jaxloop_lint.positions import physical_lines

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


def call_lines(lines):
    """The lines the index walks expressions on: where a kept call's name is a callee."""
    return SourceText(lines).callee_lines(_CALL_TAILS)


def test_call_lines_marks_callees_only():
    text = textwrap.dedent('''\
        x = jax.jit(f)
        y = jax.jit
        z = g(kernel, kernel_init)
        w = (jax.jit)(f)
        v = jax.vmap
    ''') + "u = jax.grad \\\n (f)\n"
    assert call_lines(text.splitlines(True)) == [1, 4, 6]
    # Non-ASCII text keeps the pruning ...
    assert call_lines(["x = jax.jit(f)  # caf\u00e9 \u2014 \u00d7\n", "\u03b1 = 1\n"]) == [1]
    # ... and is searched as the tokenizer reads names, NFKC-normalised: the fullwidth name is
    # ``jit``, the ligature's ``fit`` is not a kept name.
    assert call_lines(["y = 1\n", "x = jax.\uff4a\uff49\uff54(f)\n"]) == [2]
    assert call_lines(["x = jax.\ufb01t(f)  # the fi ligature\n"]) == []
    # (NFKC may make ``(``, ``#`` and blanks of strings and comments: they only add pieces.)
    assert call_lines(["s = '\u2474'  # \uff03\n", "y = [jax.jit  # \uff08a\uff09 \uff03 unjit\n",
                       "     (f)]\n"]) == [2]
    # Lines end at \r\n and at a lone \r as well, as ast counts them.
    assert call_lines(["a = 1\r", "b = 2\r\n", "x = jax.jit(f)\r"]) == [3]
    # Past comments (one holding a ``#`` of its own) and a ``#`` in a string before the name.
    assert call_lines(['s = "#"; y = jax.vmap  # a # b\n', "  # more\n", "  (f)\n"]) == [1]
    # Words that end in a kept name, and kept names that are not callees, are not marked.
    assert call_lines(["x = unjit(f) + mapping(g) + jax.jit\n", "y = (vmap)\n"]) == []
    # A comment that ends in a kept name's tail is looked past like any other.
    assert call_lines(["y = [jax.jit  # not every second\n", "     (f)]\n"]) == [1]
    assert call_lines(["y = [jax.lax.scan  # rescan (twice)\n", "     (f, 0, xs)]\n"]) == [1]


FOLDED = "import jax\n\n\ndef f(x):\n    return x\n\n\ng = jax.\uff4a\uff49\uff54(f)  # \u00e9\n"


def test_a_folded_name_is_still_found():
    tree = ast.parse(FOLDED)
    index = ModuleIndex(tree, FOLDED.splitlines(True))
    assert [site.qualname for site in index.calls] == ["jax.jit"]


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


def findings(tree, lines):
    model = analyze(tree, (), lines)
    return model, [(f.code, f.node.lineno, f.node.col_offset, f.message,
                    getattr(f.plan, "description", getattr(f.plan, "reason", None)))
                   for f in rules.run(model)]


@pytest.mark.parametrize("path", FILES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_the_skipping_analysis_finds_what_the_full_analysis_finds(path):
    # Without the source lines the analysis walks and evaluates everything.
    text = path.read_text(encoding="utf-8")
    tree = ast.parse(text)
    assert findings(tree, physical_lines(text))[1] == findings(tree, None)[1]


REACH = '''\
import functools
import jax
import jax.numpy as jnp


def leaf(xs):
    out = []
    for i in range(xs.shape[0]):
        out.append(xs[i] * 2)
    return jnp.stack(out)


def middle(xs):
    return functools.partial(leaf)(xs)


class Net:
    def helper(self, xs):
        return middle(xs)

    @functools.partial(jax.jit, static_argnums=0)
    def __call__(self, xs):
        return self.helper(xs)


@jax.jit
def unrelated(x):
    return jnp.tanh(x) + 1
'''


def test_only_functions_that_reach_a_loop_are_evaluated():
    tree = ast.parse(REACH)
    lines = physical_lines(REACH)
    model, found = findings(tree, lines)
    evaluated = {fn.qualname for fn in model.traced.facts}
    # The loop is found through a method, a partial and a plain call ...
    assert sorted(f[0] for f in found) == ["JXL102", "JXL201"]
    assert {"Net.__call__", "Net.helper", "middle", "leaf"} <= evaluated
    # ... and the traced function that names none of them is not walked at all.
    assert "unrelated" not in evaluated
    full, found_full = findings(tree, None)
    assert "unrelated" in {fn.qualname for fn in full.traced.facts}
    assert found_full == found


LOOP = """import jax
import jax.numpy as jnp


def {name}(xs):
    out = []
    for i in range(xs.shape[0]):
        out.append(xs[i] * 2)
    return jnp.stack(out)

"""

# Reached only in ways the text shortcuts must still see; the full analysis finds the loop.
REACHED = {
    # The callee's name behind a comment that ends in a kept name's tail ("se-cond").
    "comment_ending_in_a_name_tail": LOOP.format(name="step")
    + "fast = (jax.jit  # compile once, not every second\n        )(step)\n",
    # ``def μ_loop`` (Greek mu) called as ``µ_loop`` (micro sign): one name after NFKC.
    "nfkc_equal_names": LOOP.format(name="\u03bc_loop")
    + "@jax.jit\ndef f(xs):\n    return \u00b5_loop(xs)\n",
    # A precomposed name called decomposed.
    "composed_and_decomposed": LOOP.format(name="lo\u00f3p")
    + "@jax.jit\ndef f(xs):\n    return loo\u0301p(xs)\n",
    # A fullwidth transform.
    "fullwidth_jit": LOOP.format(name="step") + "fast = jax.\uff4a\uff49\uff54(step)\n",
}


@pytest.mark.parametrize("name", REACHED)
def test_the_skipping_analysis_finds_loops_reached_in_odd_spellings(name):
    text = REACHED[name]
    tree = ast.parse(text)
    assert summary(ModuleIndex(tree, physical_lines(text))) == summary(ModuleIndex(tree))
    found = findings(tree, physical_lines(text))[1]
    assert sorted(f[0] for f in found) == ["JXL102", "JXL201"]
    assert found == findings(tree, None)[1]


# A nested root evaluates its enclosing function ahead of that function's turn (for the names it
# closes over): what that evaluation gave ``leaf`` must still be evaluated, with or without the
# shortcuts (the full analysis used to drop it and miss the loop).
AHEAD = LOOP.format(name="leaf") + '''
@jax.jit
def q(xs):
    return p(xs)


def p(xs):
    @jax.jit
    def n(y):
        return y + 1{comment}
    return leaf(xs) + n(xs)
'''


@pytest.mark.parametrize("comment", ["", "  # not leaf"])
def test_a_function_evaluated_ahead_of_its_turn_passes_its_values_on(comment):
    text = AHEAD.format(comment=comment)
    tree = ast.parse(text)
    for lines in (physical_lines(text), None):
        assert sorted(f[0] for f in findings(tree, lines)[1]) == ["JXL102", "JXL201"]


# A Pallas kernel's helper holds no loop, so the shortcuts do not evaluate it; what it calls is
# kernel code all the same, and a lax body there is not judged (no JXL203 for ``b``).
KERNEL_HELPER = '''\
import jax
from jax.experimental import pallas as pl

COUNT = 0


def b(i, c):
    global COUNT
    COUNT = COUNT + 1
    return c + 1


def h(x):
    return b(0, x)


def k(x_ref, o_ref):
    o_ref[...] = h(x_ref[...])


def run(x):
    return pl.pallas_call(k, out_shape=jax.ShapeDtypeStruct(x.shape, x.dtype))(x)


def loop(c):
    return jax.lax.fori_loop(0, 3, b, c)
'''


def test_kernel_code_reached_through_a_function_without_loops():
    tree = ast.parse(KERNEL_HELPER)
    skipping, found = findings(tree, physical_lines(KERNEL_HELPER))
    full, found_full = findings(tree, None)
    assert found == found_full == []
    assert {fn.qualname for fn in skipping.traced.kernels} == {"k", "h", "b"}


# ``n``'s closure has ``p`` walked ahead of its turn; ``p`` keeps all its turns for the values
# its callers give it later (``k`` becomes a shape only through ``r2``).
BUDGET = '''\
import jax
import jax.numpy as jnp


@jax.jit
def q0(xs):
    return p(xs) + r1(xs)


def p(xs, k=1):
    @jax.jit
    def n(y):
        return y + 1
    out = []
    for i in range(k):
        out.append(xs[i] * 2)
    return jnp.stack(out) + n(xs)


def r1(xs):
    return p(xs, k=3) + r2(xs)


def r2(xs):
    return p(xs, k=xs.shape[0])
'''


def test_an_early_walk_leaves_the_function_all_its_turns():
    tree = ast.parse(BUDGET)
    for lines in (physical_lines(BUDGET), None):
        assert sorted(f[0] for f in findings(tree, lines)[1]) == ["JXL102", "JXL201"]
