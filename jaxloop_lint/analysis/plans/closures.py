"""Closures: a nested function, lambda, class or generator of the enclosing function reads the
names around it when it runs, not when it is defined (late binding). In the Python loop it sees
each step's value of a name the loop binds; after the rewrite those names are the step
function's own, so a closure defined outside the body would see the value from before the loop,
or no value at all (the loop variable and the body's temporaries are bound nowhere any more).

A closure defined inside the body moves into the step function with it and keeps seeing the
step's names. One defined before the loop is harmless only if nothing can call it while the loop
runs (its name is read only after the loop) and the names it reads are carries, which the
rewrite binds again to their final values. Closures defined after the loop read the loop's
names after it, like any statement there (``carries.live_after`` sees those reads).
"""
from __future__ import annotations

import ast
from typing import Optional

from ..names import definition_time_parts, free_names, stores, target_names
from .context import LoopContext
from .types import Refuse

_FUNCTIONS = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)


def loop_bound(ctx: LoopContext, outputs: set[str]) -> set[str]:
    """The names whose binding the rewrite changes: what the body binds, the loop variable, a
    ``while`` test's walrus targets and the per-step output lists."""
    node = ctx.node
    names = set(ctx.body_stores) | set(outputs)
    if isinstance(node, ast.For):
        names |= set(target_names(node.target))
    else:
        names |= set(stores([ast.Expr(node.test)]))
    return names


def check_closures(ctx: LoopContext, carried: list[str], outputs: set[str]) -> None:
    bound = loop_bound(ctx, outputs)
    start, end = _span(ctx.node)
    for sub in ctx.fn_scope:
        if sub is ctx.fn.node or not _is_closure(sub, ctx):
            continue
        where = _span(sub)
        if start <= where[0] and where[1] <= end:
            _check_moved(ctx, sub, carried)  # defined in the body: it moves with it
            continue
        if where[0] > end:
            continue  # after the loop: its reads are reads after the loop
        read = sorted(_late_reads(sub) & bound)
        if not read:
            continue
        name = _name_of(sub, ctx)
        stale = [n for n in read if n not in carried]
        if name is not None and not stale and _used_only_after(ctx, name, end):
            continue  # called after the loop, when the carries hold their final values
        what = f"`{name}`" if name else _kind(sub)
        raise Refuse(f"{what} (line {sub.lineno}) reads `{read[0]}`, which the loop binds: "
                     "a closure sees the value a name has when it runs, so inside a step "
                     "function it would not see the step's value")


def _check_moved(ctx: LoopContext, sub: ast.AST, carried: list[str]) -> None:
    """A function defined in the body becomes a local of the step function: it must not be
    needed outside one step (as a carry it would not be a JAX type)."""
    name = _name_of(sub, ctx)
    if name is not None and name in carried:
        raise Refuse(f"the body defines `{name}` and it is used outside one step: a function "
                     "cannot be a loop carry")
    if isinstance(sub, (ast.FunctionDef, ast.AsyncFunctionDef)) and any(
            isinstance(n, (ast.Global, ast.Nonlocal)) for n in ast.walk(sub)):
        raise Refuse(f"`{sub.name}`, defined in the body, rebinds a name of an enclosing "
                     "scope (`global` / `nonlocal`)")


def _late_reads(node: ast.AST) -> set[str]:
    """What ``node`` reads when it runs, and what the lambdas among its defaults read when
    they run (``def f(g=lambda: h)``: ``g`` is a closure over the enclosing scope)."""
    out = free_names(node)
    for part in definition_time_parts(node):
        for sub in ast.walk(part):
            if isinstance(sub, (ast.Lambda, ast.GeneratorExp)):
                out |= free_names(sub)
    return out


def _is_closure(node: ast.AST, ctx: LoopContext) -> bool:
    """A scope that runs later than it is defined: functions, lambdas, classes, and generator
    expressions that are not consumed on the spot (an argument of a call is)."""
    if isinstance(node, _FUNCTIONS):
        return True
    return isinstance(node, ast.GeneratorExp) and not isinstance(ctx.fn_parents.get(node),
                                                                 ast.Call)


def _name_of(node: ast.AST, ctx: LoopContext) -> Optional[str]:
    """The name a function is reached by: a def's name, or ``f`` in ``f = lambda ...``."""
    if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        return node.name
    parent = ctx.fn_parents.get(node)
    if isinstance(parent, ast.Assign) and len(parent.targets) == 1 \
            and isinstance(parent.targets[0], ast.Name) and parent.value is node:
        return parent.targets[0].id
    return None


def _used_only_after(ctx: LoopContext, name: str, end: tuple[int, int]) -> bool:
    """Every read of ``name`` in the function (nested functions included) comes after the
    loop: nothing can have called it, or handed it on, before the loop ends. (In a loop around
    this one, a read before this loop in the next step is a read before ``end`` too.)"""
    return not any(isinstance(sub, ast.Name) and sub.id == name
                   and isinstance(sub.ctx, ast.Load) and (sub.lineno, sub.col_offset) <= end
                   for sub in ast.walk(ctx.fn.node))


def _span(node: ast.AST) -> tuple[tuple[int, int], tuple[int, int]]:
    return (node.lineno, node.col_offset), (node.end_lineno, node.end_col_offset)


def _kind(node: ast.AST) -> str:
    if isinstance(node, ast.Lambda):
        return "a lambda"
    if isinstance(node, ast.GeneratorExp):
        return "a generator expression"
    return "a nested function"
