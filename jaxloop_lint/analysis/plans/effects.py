"""Effects: a step function runs its Python once, at trace time. Calls and writes whose effect
is not their result (printing, mutating outer state, growing an array) refuse the rewrite or
make it unsafe; calls of the module's own functions count by what their bodies do."""
from __future__ import annotations

import ast

from .. import jaxapi
from ..index import FunctionInfo, ModuleIndex
from ..names import stores, walk_scope
from .context import LoopContext
from .types import Refuse


def check_effects(ctx: LoopContext, outputs: set[str]) -> None:
    body_names = set(ctx.body_stores)
    for stmt in ctx.body:
        for sub in ast.walk(stmt):  # lambdas included: their calls run in the step too
            if isinstance(sub, (ast.Assign, ast.AugAssign, ast.AnnAssign)):
                targets = sub.targets if isinstance(sub, ast.Assign) else [sub.target]
                for t in targets:
                    for part in ast.walk(t):
                        if isinstance(part, ast.Attribute) and isinstance(part.ctx, ast.Store):
                            raise Refuse(f"the body assigns `{ast.unparse(part)}`")
                        if isinstance(part, ast.Subscript) and isinstance(part.ctx, ast.Store):
                            raise Refuse(f"the body assigns into `{ast.unparse(part)}`")
            elif isinstance(sub, ast.Call):
                _check_call(ctx, sub, outputs, body_names)


def _check_call(ctx: LoopContext, call: ast.Call, outputs: set[str],
                body_names: set[str]) -> None:
    func = call.func
    qual = ctx.imports.qualname(func)
    shown = ast.unparse(func)
    if qual is not None:
        if qual.startswith(jaxapi.EFFECT_PREFIXES):
            raise Refuse(f"the body calls `{shown}`, which would run once at trace time "
                         "instead of once per step")
        if qual.startswith(jaxapi.PURE_PREFIXES) or qual.startswith("numpy."):
            return
        _unknown(ctx, shown)
        return
    if isinstance(func, ast.Name):
        if func.id in jaxapi.EFFECT_BUILTINS and func.id not in body_names:
            raise Refuse(f"the body calls `{func.id}()`, which would run once at trace "
                         "time instead of once per step")
        if func.id in jaxapi.PURE_BUILTINS and func.id not in body_names:
            return
        callee = ctx.index.resolve_function(func, ctx.fn)
        if callee is not None and is_pure_function(ctx.index, callee):
            return
        _unknown(ctx, shown)
        return
    if isinstance(func, ast.Attribute):
        holder = func.value
        if isinstance(holder, ast.Name) and func.attr in jaxapi.PYTHON_MUTATORS:
            if holder.id in outputs:
                return  # the output's own append, handled by the plan
            if holder.id not in body_names:
                raise Refuse(f"the body mutates `{holder.id}` (`{shown}`)")
            return  # a list built and used within one step
        if func.attr in jaxapi.ARRAY_METHODS or isinstance(holder, ast.Subscript) and \
                isinstance(holder.value, ast.Attribute) and holder.value.attr == "at":
            return
        callee = ctx.index.resolve_function(func, ctx.fn)
        if callee is not None and is_pure_function(ctx.index, callee):
            return
    _unknown(ctx, shown)


def _unknown(ctx: LoopContext, shown: str) -> None:
    ctx.note(f"`{shown}` may have Python side effects: they would run once, at trace time, "
             "not once per step")


def check_growth(ctx: LoopContext) -> None:
    for grow in ctx.facts.grows:
        if any(l is ctx.loop for l in grow.loop.enclosing()):
            raise Refuse(f"`{grow.name}` grows every step ({grow.func}): its shape "
                         "changes, so it cannot be a loop carry")


def is_pure_function(index: ModuleIndex, fn: FunctionInfo, depth: int = 0) -> bool:
    """A function of this module whose body has no statement or call with Python effects."""
    cache = index.purity
    if fn in cache:
        return cache[fn]
    cache[fn] = False  # recursion counts as impure
    pure = depth < 4 and _pure_body(index, fn, depth)
    cache[fn] = pure
    return pure


def _pure_body(index: ModuleIndex, fn: FunctionInfo, depth: int) -> bool:
    node = fn.node
    body = [node.body] if isinstance(node, ast.Lambda) else node.body
    local = set(stores(body)) | {a.arg for a in node.args.args + node.args.kwonlyargs}
    for stmt in body:
        for sub in walk_scope(stmt):
            if isinstance(sub, (ast.Global, ast.Nonlocal, ast.Yield, ast.YieldFrom, ast.Await)):
                return False
            if isinstance(sub, (ast.Attribute, ast.Subscript)) and isinstance(
                    sub.ctx, (ast.Store, ast.Del)):
                return False
            if isinstance(sub, ast.Call):
                func = sub.func
                qual = index.imports.qualname(func)
                if qual is not None:
                    if qual.startswith(jaxapi.EFFECT_PREFIXES) or not (
                            qual.startswith(jaxapi.PURE_PREFIXES) or qual.startswith("numpy.")):
                        return False
                    continue
                if isinstance(func, ast.Name):
                    if func.id in jaxapi.EFFECT_BUILTINS:
                        return False
                    if func.id in jaxapi.PURE_BUILTINS and func.id not in local:
                        continue
                    callee = index.resolve_function(func, fn)
                    if callee is None or not is_pure_function(index, callee, depth + 1):
                        return False
                elif isinstance(func, ast.Attribute):
                    if func.attr in jaxapi.PYTHON_MUTATORS and not (
                            isinstance(func.value, ast.Name) and func.value.id in local):
                        return False
                    if func.attr not in jaxapi.ARRAY_METHODS:
                        return False
                else:
                    return False
    return True
