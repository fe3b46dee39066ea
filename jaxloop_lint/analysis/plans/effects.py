"""Effects: a step function runs its Python once, at trace time. Calls and writes whose effect
is not their result (printing, mutating outer state, growing an array) refuse the rewrite or
make it unsafe; calls of the module's own functions count by what their bodies do
(``purity.py``): proven effects refuse the rewrite, code that cannot be judged makes it
unsafe."""
from __future__ import annotations

import ast
from typing import Optional

from .. import jaxapi
from . import purity
from .context import LoopContext
from .types import Refuse


def check_effects(ctx: LoopContext, outputs: set[str]) -> None:
    body_names = set(ctx.body_stores)
    statements = {id(s.value) for stmt in ctx.body for s in ast.walk(stmt)
                  if isinstance(s, ast.Expr)}
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
                _check_call(ctx, sub, outputs, body_names, id(sub) in statements)


def _check_call(ctx: LoopContext, call: ast.Call, outputs: set[str],
                body_names: set[str], statement: bool) -> None:
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
    verdict = callee_purity(ctx, func)
    if verdict is None and statement and isinstance(func, ast.Attribute) \
            and not _built_in_step(func.value, body_names):
        raise Refuse(f"the body calls `{shown}` for its effect (its value is not used): it "
                     "would run once at trace time instead of once per step")
    if verdict is None:
        _unknown(ctx, shown)
    elif verdict.kind == purity.IMPURE:
        raise Refuse(f"`{shown}` {verdict.reason}: traced once in a step function, it would "
                     "do that once instead of once per step")
    elif verdict.kind == purity.UNKNOWN:
        _unknown(ctx, shown)


def callee_purity(ctx: LoopContext, func: ast.expr) -> Optional[purity.Purity]:
    """The purity of the module function a call in the body reaches: by its name, ``self.f``,
    a lambda or ``partial(f, ...)`` written in place, a name bound once in the enclosing
    function to a lambda or a partial (``step = partial(cell, W)``), or a method of an object
    of a class of the module (``tracker = Tracker()`` ... ``tracker.record(h)``)."""
    found = purity.judge_call(ctx.index, ctx.fn, func)
    if found is not None:
        return found
    if isinstance(func, ast.Name):
        value = _bound_once(ctx, func.id)
        if value is not None and not _is_instance(ctx, value):
            return purity.judge_call(ctx.index, ctx.fn, value)
    if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name):
        value = _bound_once(ctx, func.value.id)
        if value is not None and _is_instance(ctx, value):
            method = ctx.index.method(ctx.index.classes[value.func.id], func.attr)
            if method is not None:
                return purity.judge(ctx.index, method, 1)
    return None


def _is_instance(ctx: LoopContext, value: ast.expr) -> bool:
    """``Tracker(...)``: an object of a class this module defines."""
    return isinstance(value, ast.Call) and isinstance(value.func, ast.Name) \
        and value.func.id in ctx.index.classes


def _built_in_step(expr: ast.expr, body_names: set[str]) -> bool:
    """An object the step itself creates (its changes stay in the step)."""
    while isinstance(expr, (ast.Attribute, ast.Subscript)):
        expr = expr.value
    return isinstance(expr, ast.Name) and expr.id in body_names


def _bound_once(ctx: LoopContext, name: str) -> Optional[ast.expr]:
    """``name = lambda ...`` / ``name = partial(...)`` / ``name = SomeClass(...)``, when that
    is the function's only binding of ``name`` (in the body or before the loop)."""
    binds = [n for n in ctx.fn_scope if isinstance(n, ast.Name) and n.id == name
             and not isinstance(n.ctx, ast.Load)]
    if len(binds) != 1:
        return None
    stmt = ctx.fn_parents.get(binds[0])
    if isinstance(stmt, ast.Assign) and stmt.targets == [binds[0]] and (
            isinstance(stmt.value, ast.Lambda) or isinstance(stmt.value, ast.Call) and (
                ctx.imports.qualname(stmt.value.func) == "functools.partial"
                or _is_instance(ctx, stmt.value))):
        return stmt.value
    return None


def _unknown(ctx: LoopContext, shown: str) -> None:
    ctx.note(f"`{shown}` may have Python side effects: they would run once, at trace time, "
             "not once per step")


def check_growth(ctx: LoopContext) -> None:
    for grow in ctx.facts.grows:
        if any(l is ctx.loop for l in grow.loop.enclosing()):
            raise Refuse(f"`{grow.name}` grows every step ({grow.func}): its shape "
                         "changes, so it cannot be a loop carry")
