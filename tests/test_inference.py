"""Alias resolution and the inference of which functions run traced."""
from __future__ import annotations

import ast
import textwrap

import pytest

from jaxloop_lint import lint_source
from jaxloop_lint.analysis.imports import ImportMap
from jaxloop_lint.analysis.model import analyze


def traced(src: str) -> set[str]:
    model = analyze(ast.parse(textwrap.dedent(src)))
    return {fn.qualname for fn in model.traced.info}


def codes(src: str) -> list[tuple[str, int]]:
    return [(d.code, d.line) for d in lint_source(textwrap.dedent(src))]


@pytest.mark.parametrize("imports, expr, expected", [
    ("import jax", "jax.lax.scan", "jax.lax.scan"),
    ("import jax.numpy as jnp", "jnp.stack", "jax.numpy.stack"),
    ("from jax import numpy as np_", "np_.stack", "jax.numpy.stack"),
    ("from jax import lax", "lax.fori_loop", "jax.lax.fori_loop"),
    ("from jax.lax import scan as S", "S", "jax.lax.scan"),
    ("from flax import nnx", "nnx.jit", "flax.nnx.jit"),
    ("from flax.experimental import nnx", "nnx.Param", "flax.nnx.Param"),
    ("import flax.linen as nn", "nn.Module", "flax.linen.Module"),
    ("import functools as ft", "ft.partial", "functools.partial"),
    ("from jax.experimental.pjit import pjit", "pjit", "jax.pjit"),
    ("import numba", "numba.jit", "numba.jit"),
    ("import jax.numpy", "jax.numpy.zeros", "jax.numpy.zeros"),
])
def test_import_aliases(imports, expr, expected):
    imap = ImportMap()
    for node in ast.parse(imports).body:
        imap.add(node)
    assert imap.qualname(ast.parse(expr, mode="eval").body) == expected


def test_unimported_name_is_not_resolved():
    imap = ImportMap()
    assert imap.qualname(ast.parse("jnp.stack", mode="eval").body) is None


def test_decorator_forms():
    src = """
        import functools
        from functools import partial
        import jax
        from jax import jit, vmap
        from flax import nnx
        import equinox as eqx

        @jax.jit
        def a(x): return x
        @jit
        def b(x): return x
        @partial(jax.jit, static_argnames=("n",))
        def c(x, n): return x
        @functools.partial(jit, static_argnums=1)
        def d(x, n): return x
        @nnx.jit
        def e(x): return x
        @eqx.filter_jit
        def f(x): return x
        @vmap
        def g(x): return x
        @jax.value_and_grad
        def h(x): return x
        @jax.checkpoint
        def i(x): return x
        def plain(x): return x
    """
    assert traced(src) == set("abcdefghi")


def test_never_other_jits():
    src = """
        import numba
        import torch
        import tensorflow as tf
        from numba import jit
        import jax.numpy as jnp

        @jit
        def a(xs):
            for x in xs: xs = xs + x
        @numba.jit(nopython=True)
        def b(xs): return xs
        @torch.jit.script
        def c(xs): return xs
        @tf.function
        def d(xs): return xs
    """
    assert traced(src) == set()
    assert codes(src) == []


def test_wrapped_later_and_lax_bodies_and_modules():
    src = """
        import jax
        from jax import lax
        from flax import nnx
        import flax.linen as nn

        def step(c, x): return c + x, c
        def body(i, c): return c
        def cond(s): return s[0] < 3
        def wbody(s): return s
        def later(x): return x
        g = jax.jit(later, static_argnums=0)

        def run(xs):
            lax.scan(step, 0.0, xs)
            lax.fori_loop(0, 3, body, 0.0)
            return jax.lax.while_loop(cond, wbody, (0, 1))

        class Cell(nnx.Module):
            def __call__(self, x): return self.helper(x)
            def helper(self, x): return x
            def unused(self, x): return x

        class Old(nn.Module):
            @nn.compact
            def encode(self, x): return x
    """
    assert traced(src) == {"step", "body", "cond", "wbody", "later", "Cell.__call__",
                           "Cell.helper", "Old.encode"}


def test_called_functions_inherit_traced_arguments():
    src = """
        import jax
        import jax.numpy as jnp

        def accumulate(xs, n):
            acc = jnp.zeros(())
            for i in range(n):      # n arrives traced from f: JXL103
                acc = acc + xs[i]
            return acc

        def repeat(xs, n):
            for i in range(n):      # n arrives static from g: quiet
                xs = xs * 2
            return xs

        @jax.jit
        def f(xs, n):
            return accumulate(xs, n)

        @jax.jit
        def g(xs):
            return repeat(xs, 3)
    """
    assert codes(src) == [("JXL103", 7)]


def test_static_args_and_defaults_stay_quiet():
    src = """
        from functools import partial
        import jax

        @partial(jax.jit, static_argnums=(1,))
        def a(xs, n):
            for i in range(n): xs = xs + 1
            return xs

        @partial(jax.jit, static_argnames="n")
        def b(xs, n):
            for i in range(n): xs = xs + 1
            return xs

        @jax.jit
        def c(xs, n=4):
            for i in range(n): xs = xs + 1
            return xs

        @jax.jit
        def d(xs, n):
            for i in range(n): xs = xs + 1
            return xs
    """
    assert codes(src) == [("JXL103", 22)]


def test_closures_see_enclosing_values():
    src = """
        import jax
        import jax.numpy as jnp

        @jax.jit
        def f(xs):
            T = xs.shape[0]
            def inner(h):
                for t in range(T):
                    h = h + xs[t]
                return h
            return inner(jnp.zeros(()))
    """
    assert codes(src) == [("JXL102", 9)]


def test_files_without_jax_are_skipped_quickly():
    src = "for x in range(10):\n    print(x)\n" * 1000
    assert lint_source(src) == []
