"""plans/purity.py: what calling a function of the module does besides returning its result.

Each snippet defines ``f``; the judge must call it pure, impure (a proven effect: the loop
rewrite is refused) or unknown (code it cannot read: the rewrite is unsafe)."""
from __future__ import annotations

import ast
import textwrap

import pytest

from jaxloop_lint.analysis.index import ModuleIndex
from jaxloop_lint.analysis.plans import purity

HEADER = "import jax\nimport jax.numpy as jnp\nimport functools\nimport logging\n"


def _judge(source: str) -> purity.Purity:
    index = ModuleIndex(ast.parse(HEADER + textwrap.dedent(source)))
    return purity.judge(index, index.module_functions["f"])


@pytest.mark.parametrize("source", [
    "def f(h, x):\n    return jnp.tanh(h + x)",
    "def f(h, x):\n    parts = []\n    parts.append(h)\n    parts.append(x)\n"
    "    return jnp.stack(parts).sum(0)",
    "def f(parts, b):\n    parts = list(parts)\n    parts.append(b)\n    return sum(parts)",
    "def f(h):\n    d = {}\n    d['a'] = h\n    return d['a']",
    "def f(x, i, v):\n    return x.at[i].add(v)",
    "@jax.jit\ndef f(h):\n    return h * 2",
    "@functools.partial(jax.jit, static_argnames='k')\ndef f(h, k=2):\n    return h * k",
    "def g(h):\n    return h + 1\n\ndef f(h):\n    return g(h) * 2",
    "def f(h):\n    acc = h\n    for k in range(3):\n        acc += h\n    return acc",
    "def named(fn):\n    @functools.wraps(fn)\n    def w(*a):\n        return fn(*a)\n"
    "    return w\n\n@named\ndef f(h):\n    return h * 2",
], ids=["jnp", "own-list", "copied-argument", "own-dict", "at-add", "jit", "partial-jit",
        "pure-callee", "array-augassign", "stateless-decorator"])
def test_pure(source):
    verdict = _judge(source)
    assert verdict.pure, verdict


@pytest.mark.parametrize("source, words", [
    ("def f(trace, v):\n    trace.append(v)\n    return v", "argument `trace`"),
    ("def f(trace, v):\n    buf = trace\n    buf.append(v)\n    return v", "`buf`"),
    ("def f(v, buf=[]):\n    buf += [v]\n    return len(buf)", "default value `buf`"),
    ("def f(c=[0]):\n    c[0] += 1\n    return c[0]", "default value `c`"),
    ("def f(m, v):\n    m.count += 1\n    return v", "attribute of its argument `m`"),
    ("N = 0\ndef f(v):\n    global N\n    N += 1\n    return v", "`N`"),
    ("LOG = []\ndef f(v):\n    return LOG.pop()", "`LOG`"),
    ("LOG = []\ndef f(v):\n    return LOG.append(v) or v", "`LOG`"),
    ("LOG = []\ndef f(v, fresh=False):\n    buf = [] if fresh else LOG\n    buf.append(v)\n"
     "    return v", "`buf`"),
    ("LOG = []\ndef f(v, fresh=False):\n    if fresh:\n        buf = []\n    else:\n"
     "        buf = LOG\n    buf.append(v)\n    return v", "`buf`"),
    ("def g(b, v):\n    b.extend([v])\n\ndef f(b, v):\n    g(b, v)\n    return v", "calls `g`"),
    ("def f(v):\n    print(v)\n    return v", "`print()`"),
    ("def f(v):\n    logging.info('x')\n    return v", "logging.info"),
    ("def count(fn):\n    def w(*a):\n        w.n += 1\n        return fn(*a)\n    w.n = 0\n"
     "    return w\n\n@count\ndef f(v):\n    return v", "@count"),
    ("def count(fn):\n    def w(*a):\n        w.n += 1\n        return fn(*a)\n    w.n = 0\n"
     "    return w\n\ndef f(v):\n    return v\n\nf = count(f)", "f = count(f)"),
    ("def loud(fn):\n    def w(*a):\n        print(a)\n        return fn(*a)\n    return w\n\n"
     "@loud\ndef f(v):\n    return v", "@loud"),
    ("S = {}\ndef f(v):\n    S['n'] = v\n    return v", "`S`"),
    ("OUT = None\ndef f(v):\n    OUT.write(v)\n    return v", "OUT.write"),
    ("def f(v):\n    yield v", "generator"),
    ("f = lambda v, buf=[]: buf.append(v) or len(buf)\n", "default value `buf`"),
], ids=["append-argument", "alias", "augassign-default", "item-default", "attribute",
        "global", "pop-global", "append-in-expression", "fresh-on-one-path-ifexp",
        "fresh-on-one-path-if", "transitive", "print", "logging", "decorator-counter",
        "decorator-by-assignment", "decorator-prints", "item-global", "method-for-effect",
        "generator", "lambda-default"])
def test_impure(source, words):
    if source.startswith("f = lambda"):
        index = ModuleIndex(ast.parse(HEADER + source))
        value = index.tree.body[-1].value
        verdict = purity.judge(index, index.lambda_info(value, None))
    else:
        verdict = _judge(source)
    assert verdict.kind == purity.IMPURE, verdict
    assert words in verdict.reason, verdict.reason


@pytest.mark.parametrize("source", [
    "import somewhere\ndef f(v):\n    return somewhere.g(v)",
    "def f(fn, v):\n    return fn(v)",
    "import somewhere\n@somewhere.deco\ndef f(v):\n    return v",
    "def f(v):\n    return f(v)",
    # ``update`` used as a value is not dict.update (which returns None): an optimizer's API
    "def f(tx, g, s):\n    updates, s = tx.update(g, s)\n    return updates",
], ids=["imported-callee", "callable-argument", "imported-decorator", "recursion",
        "value-of-update"])
def test_unknown(source):
    assert _judge(source).kind == purity.UNKNOWN
