"""Which nnx Variables of ``self`` code reaches besides the accesses written in it: through
methods and properties of ``self`` it calls (transitively, within the module), and through
``self`` handed to another function.

A Variable carried through a lax loop as a local is only right if nothing else reads or writes
the Variable itself while the loop runs: a method that reads ``self.count`` would see the value
from before the loop.
"""
from __future__ import annotations

import ast
from typing import Optional

from .. import jaxapi
from ..index import ClassInfo, FunctionInfo, ModuleIndex


def reached_variables(index: ModuleIndex, cls: ClassInfo, node: ast.AST, self_name: str,
                      variables: frozenset[str], writes_only: bool = False
                      ) -> tuple[dict[str, str], Optional[str]]:
    """(Variable attr -> the method or property of ``self`` through which ``node`` reaches it,
    the code that hands ``self`` to something else, if any). ``writes_only``: only the
    Variables those methods write."""
    reached: dict[str, str] = {}
    seen: set[int] = set()
    escape = _walk(index, cls, node, self_name, variables, reached, seen, None, writes_only)
    return reached, escape


def _writes(parent: ast.Attribute, parents: dict) -> bool:
    """``self.v[...] = x``, ``self.v.value += x``, ``self.v.set_value(x)``, ``self.v = x``."""
    if isinstance(parent.ctx, ast.Store):
        return True
    up = parents.get(parent)
    if isinstance(up, (ast.Subscript, ast.Attribute)) and up.value is parent:
        if isinstance(up.ctx, ast.Store):
            return True
        call = parents.get(up)
        return isinstance(up, ast.Attribute) and isinstance(call, ast.Call) \
            and call.func is up and up.attr in jaxapi.VARIABLE_SETTERS
    return False


def _walk(index, cls, node, self_name, variables, reached, seen, via,
          writes_only) -> Optional[str]:
    escape = None
    parents = {c: p for p in ast.walk(node) for c in ast.iter_child_nodes(p)}
    for sub in ast.walk(node):
        if not (isinstance(sub, ast.Name) and sub.id == self_name):
            continue
        parent = parents.get(sub)
        if not isinstance(parent, ast.Attribute):
            if escape is None and not isinstance(sub.ctx, ast.Store):
                escape = ast.unparse(parent if parent is not None else sub)
            continue
        attr = parent.attr
        if via is not None and attr in variables and (
                not writes_only or _writes(parent, parents)):
            reached.setdefault(attr, via)
        method: Optional[FunctionInfo] = index.method(cls, attr)
        if method is not None and id(method.node) not in seen:
            seen.add(id(method.node))
            args = method.node.args.posonlyargs + method.node.args.args
            if args:
                inner = _walk(index, cls, method.node, args[0].arg, variables, reached, seen,
                              via or f"self.{attr}", writes_only)
                escape = escape or inner
    return escape
