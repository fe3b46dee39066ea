"""Statements a step function cannot hold, and the loop shapes around them that still have a
rewrite: the one ``if c: break / continue / return v`` (a masked scan), ``for ... else``."""
from __future__ import annotations

import ast

from .. import jaxapi
from ..names import walk_statement
from .context import LoopContext, inside_inner_loop
from .types import Refuse

FORBIDDEN = {
    ast.Return: "`return` inside the loop", ast.Break: "`break`", ast.Continue: "`continue`",
    ast.Raise: "`raise` inside the loop", ast.Try: "`try`", ast.With: "`with`",
    ast.AsyncWith: "`async with`", ast.AsyncFor: "`async for`", ast.Global: "`global`",
    ast.Nonlocal: "`nonlocal`", ast.Delete: "`del`", ast.Import: "an import",
    ast.ImportFrom: "an import", ast.AsyncFunctionDef: "a nested `async def`",
    ast.ClassDef: "a nested `class`",
    ast.Yield: "`yield`", ast.YieldFrom: "`yield`", ast.Await: "`await`",
    ast.Match: "`match`",
}


def check_statements(ctx: LoopContext) -> None:
    # the one ``if cond: break`` / ``continue`` / ``return v`` becomes the done flag
    allowed = {id(n) for n in ast.walk(ctx.stop.body[0])} if ctx.stop is not None else ()
    for stmt in ctx.body:
        for sub in walk_statement(stmt):
            if id(sub) in allowed:
                continue
            reason = FORBIDDEN.get(type(sub))
            if reason is not None and not (
                    isinstance(sub, (ast.Break, ast.Continue)) and inside_inner_loop(sub, stmt)):
                raise Refuse(f"the body has {reason}")
            if isinstance(sub, ast.FunctionDef):
                check_nested_def(ctx, sub)


def check_nested_def(ctx: LoopContext, node: ast.FunctionDef) -> None:
    """A plain function defined in the body moves into the step function with it (what it
    reads is checked by ``closures``). A decorator runs once per definition: only the JAX
    transforms, which have no Python state, may wrap it."""
    for dec in node.decorator_list:
        func = dec.func if isinstance(dec, ast.Call) else dec
        qual = ctx.imports.qualname(func)
        if qual == "functools.partial" and isinstance(dec, ast.Call) and dec.args:
            qual = ctx.imports.qualname(dec.args[0])
        if qual not in jaxapi.TRANSFORMS:
            raise Refuse(f"the body defines `{node.name}` with the decorator "
                         f"`@{ast.unparse(dec)}`, which would run once instead of once per "
                         "step")
    if any(isinstance(n, (ast.Yield, ast.YieldFrom, ast.Await)) for n in ast.walk(node)):
        raise Refuse(f"the body defines the generator `{node.name}`")


def check_else(ctx: LoopContext) -> None:
    """``for ... else:`` runs the else block when no ``break`` fired: after a masked scan,
    ``x = jnp.where(done, x, <value>)`` for each plain assignment of the block."""
    if ctx.stop is None or not isinstance(ctx.stop.body[0], ast.Break):
        raise Refuse("the loop has an `else:` clause without a masked `break`")
    bound = ctx.bound_before
    for stmt in ctx.node.orelse:
        target = stmt.targets[0] if isinstance(stmt, ast.Assign) and len(
            stmt.targets) == 1 else getattr(stmt, "target", None)
        if not isinstance(stmt, (ast.Assign, ast.AugAssign)) \
                or not isinstance(target, ast.Name):
            raise Refuse("the `else:` clause does more than assign names")
        if target.id not in bound and target.id not in ctx.body_stores:
            raise Refuse(f"`{target.id}` is first assigned in the `else:` clause")
        for call in ast.walk(stmt.value):
            if isinstance(call, ast.Call) and not (
                    ctx.imports.qualname(call.func) or "").startswith(jaxapi.PURE_PREFIXES):
                raise Refuse("the `else:` clause calls something other than jax "
                             f"(`{ast.unparse(call.func)}`)")


def final_return(ctx: LoopContext) -> ast.Return:
    """An early ``return v`` needs the function to end with the loop and ``return w``:
    then ``return jnp.where(done, v, w)`` says the same thing."""
    body = ctx.fn.node.body if not isinstance(ctx.fn.node, ast.Lambda) else []
    if ctx.node not in body or body.index(ctx.node) != len(body) - 2 \
            or not isinstance(body[-1], ast.Return) or body[-1].value is None:
        raise Refuse("`return` inside the loop, and the function does not end with the "
                     "loop and one `return`")
    for value in (ctx.stop.body[0].value, body[-1].value):
        if isinstance(value, (ast.Tuple, ast.List, ast.Dict)):
            raise Refuse("`return` inside the loop returns a container")
    return body[-1]


def check_walrus(ctx: LoopContext) -> None:
    """``while (r := f(x)) > tol:``: the test binds ``r`` each time it runs, once more than the
    body. A ``while_loop`` cond function keeps that binding to itself, so a ``r`` read anywhere
    else (the body, after the loop) would be unbound or stale."""
    node = ctx.node
    for sub in ast.walk(node.test):
        if isinstance(sub, ast.NamedExpr):
            name = sub.target.id
            reads = [n for n in ast.walk(ctx.fn.node) if isinstance(n, ast.Name)
                     and n.id == name and isinstance(n.ctx, ast.Load)
                     and not any(n is t for t in ast.walk(node.test))]
            if reads:
                raise Refuse(f"the `while` test binds `{name}` with `:=` and line "
                             f"{reads[0].lineno} reads it: a while_loop's cond function keeps "
                             "that binding to itself")
