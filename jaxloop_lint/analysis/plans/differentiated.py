"""Which functions of the module run under reverse-mode differentiation: handed to (or
decorated with) ``jax.grad`` / ``value_and_grad`` / ``vjp`` / ``jacrev`` / ``hessian`` and
their nnx / equinox spellings, the functions they call within the module, transitively, and the
functions defined inside those.

``jax.lax.while_loop`` (and ``fori_loop`` with a traced bound, which lowers to it) is not
reverse-differentiable: a rewrite into one inside such a function turns a working gradient into
a ValueError.
"""
from __future__ import annotations

import ast
from typing import Optional

from ..index import FunctionInfo, ModuleIndex

REVERSE = {"jax.grad", "jax.value_and_grad", "jax.vjp", "jax.jacrev", "jax.hessian",
           "flax.nnx.grad", "flax.nnx.value_and_grad", "equinox.filter_grad",
           "equinox.filter_value_and_grad", "equinox.filter_vjp"}


def reverse_differentiated(index: ModuleIndex) -> dict[FunctionInfo, str]:
    """Function -> how it comes to be differentiated (``jax.grad`` at line N), computed once."""
    found = getattr(index, "_reverse", None)
    if found is not None:
        return found
    found = {}
    todo: list[FunctionInfo] = []

    def add(fn: Optional[FunctionInfo], why: str) -> None:
        if fn is not None and fn not in found:
            found[fn] = why
            todo.append(fn)

    for site in index.calls:
        if site.qualname in REVERSE and site.call.args:
            why = f"`{ast.unparse(site.call.func)}` at line {site.call.lineno}"
            add(index.resolve_function(site.call.args[0], site.scope), why)
    for fn in index.functions:
        for dec in getattr(fn.node, "decorator_list", ()):
            func = dec.func if isinstance(dec, ast.Call) else dec
            if index.imports.qualname(func) in REVERSE:
                add(fn, f"`@{ast.unparse(dec)}` at line {dec.lineno}")
    while todo:
        fn = todo.pop()
        why = found[fn]
        for sub in ast.walk(fn.node):
            if isinstance(sub, ast.Call):
                add(index.resolve_function(sub.func, fn), why)
    for fn in index.functions:  # functions defined inside a differentiated one
        outer = fn.parent
        while outer is not None and fn not in found:
            if outer in found:
                found[fn] = found[outer]
            outer = outer.parent
    index._reverse = found
    return found


def check_differentiable(index: ModuleIndex, fn: FunctionInfo, form: str) -> Optional[str]:
    """The reason a ``form`` loop (not reverse-differentiable) cannot go into ``fn``, or None."""
    why = reverse_differentiated(index).get(fn)
    if why is None:
        return None
    return (f"`{fn.name}` is differentiated in reverse mode ({why}), and {form} is not "
            "reverse-differentiable: the gradient would raise")
