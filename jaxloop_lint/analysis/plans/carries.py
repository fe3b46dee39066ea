"""Carries: the names a loop must pass from one step to the next, and whether their values can
travel as a lax carry (bound before the loop, one type and dtype in every step).

AutoGraph's rule: a loop carries the names it assigns that are read before being written in a
step, or read after the loop. Everything over-approximates liveness: carrying a name too many is
harmless, carrying one too few would silently change numbers.
"""
from __future__ import annotations

import ast
from typing import Optional

from .. import dtypes
from ..names import loads, reads_before_writes, stores, target_names, walk_scope
from ..values import Kind
from .context import LoopContext
from .types import Refuse


def carried_names(ctx: LoopContext, outputs: set[str]) -> list[str]:
    node = ctx.node
    body = ctx.body
    targets = set(target_names(node.target)) if isinstance(node, ast.For) else set()
    assigned = [n for n in ctx.body_stores if n not in targets]
    live_in = reads_before_writes(body, targets)
    if isinstance(node, ast.While):
        live_in |= loads(node.test)
    live_out = live_after(ctx)
    if ctx.stops_by_return:
        live_out |= loads(ctx.stop.body[0].value)
    for stmt in getattr(node, "orelse", ()):  # the else block reads them after the loop
        live_out |= loads(stmt)
    leaked = targets & live_out
    if leaked:
        raise Refuse(f"the loop variable `{sorted(leaked)[0]}` is read after the loop "
                     "(Python keeps its last value)")
    carried = [n for n in assigned if n in live_in or n in live_out]
    check_starts(ctx, carried)
    check_integer_carries(ctx, carried)
    return carried


def check_starts(ctx: LoopContext, carried: list[str]) -> None:
    """Each carry's value when the loop starts: it must exist, and have the type the steps
    give it (a lax carry keeps its first type, shape and dtype)."""
    bound = ctx.bound_before
    env = ctx.loop.env_after
    inits = ctx.initial_values
    for name in carried:
        if name not in bound:
            raise Refuse(f"`{name}` is first assigned inside the loop but read after it")
        init = inits.get(name)
        if isinstance(init, ast.Constant) and init.value is None:
            raise Refuse(f"`{name}` starts as None: its type changes in the first step "
                         "(peel the first step by hand)")
        if _is_number(init) and ctx.node.body and name in ctx.body_stores:
            ctx.note(f"`{name}` starts as a Python number: if the loop turns it into an "
                     "array of another shape, the rewrite raises a TypeError at trace time")
        val = env.get(name)
        if val is not None and val.kind <= Kind.SHAPE and _float_arithmetic(ctx, name):
            raise Refuse(f"`{name}` is a Python float updated in Python: as a carry it "
                         "would be computed in float32 instead of float64")


def check_integer_carries(ctx: LoopContext, carried: list[str]) -> None:
    """A strongly typed integer carry must stay integer: lax loops fix the carry's dtype."""
    inits = ctx.initial_values
    imports = ctx.imports
    ints = {n for n in carried if dtypes.strong_integer_start(inits.get(n), imports)}
    if not ints:
        return
    known = ints | integer_indices(ctx.node)
    updates = [(t, s.value, s) for s in walk_scope(ctx.node) if isinstance(
        s, (ast.Assign, ast.AugAssign)) for t in (s.targets if isinstance(s, ast.Assign)
                                                   else [s.target])]
    for _ in range(2):  # names computed from integers in the body are integers too
        for target, value, _stmt in updates:
            if isinstance(target, ast.Name) and not isinstance(_stmt, ast.AugAssign) \
                    and dtypes.non_integer_part(value, known, imports) is None:
                known.add(target.id)
    for target, value, stmt in updates:
        if not (isinstance(target, ast.Name) and target.id in ints):
            continue
        expr = ast.BinOp(target, stmt.op, value) if isinstance(stmt, ast.AugAssign) \
            else value
        bad = dtypes.non_integer_part(expr, known, imports)
        if bad is not None:
            raise Refuse(f"`{target.id}` starts as an integer array and "
                         f"`{ast.unparse(bad)}` may make it a float: a lax loop's carry "
                         "keeps one dtype (start it as a float if that is meant)")


def integer_indices(node: ast.stmt) -> set[str]:
    """Loop variables that are integers: the index of ``range`` and of ``enumerate``."""
    if not isinstance(node, ast.For) or not isinstance(node.iter, ast.Call) \
            or not isinstance(node.iter.func, ast.Name):
        return set()
    name = node.iter.func.id
    inner = node.iter.args[0] if node.iter.args else None
    if name == "reversed" and isinstance(inner, ast.Call) \
            and isinstance(inner.func, ast.Name):
        name = "range" if inner.func.id == "range" else ""
    if name == "range" and isinstance(node.target, ast.Name):
        return {node.target.id}
    if name == "enumerate" and isinstance(node.target, ast.Tuple) \
            and isinstance(node.target.elts[0], ast.Name):
        return {node.target.elts[0].id}
    return set()


def _float_arithmetic(ctx: LoopContext, name: str) -> bool:
    """Is ``name`` ever given a float literal or a true division? Integer counters
    (``i = 0`` ... ``i += 1``) are exact as int32 carries; floats are not."""
    for sub in ctx.fn_scope:
        if isinstance(sub, (ast.Assign, ast.AugAssign, ast.AnnAssign)):
            targets = sub.targets if isinstance(sub, ast.Assign) else [sub.target]
            if not any(name in target_names(t) for t in targets) or sub.value is None:
                continue
            if isinstance(sub, ast.AugAssign) and isinstance(sub.op, ast.Div):
                return True
            for part in ast.walk(sub.value):
                if isinstance(part, ast.Constant) and isinstance(part.value, (float, complex)):
                    return True
                if isinstance(part, ast.BinOp) and isinstance(part.op, (ast.Div, ast.Pow)):
                    return True
    return name not in stores(ctx.fn.node.body)  # bound elsewhere: assume the worst


def live_after(ctx: LoopContext) -> set[str]:
    """Names read after the loop, or anywhere in an enclosing loop (its next step)."""
    fn_node = ctx.fn.node
    node = ctx.node
    end = (node.end_lineno, node.end_col_offset)
    outer = ctx.loop.parent
    outer_span = None
    while outer is not None:
        outer_span = (outer.node.lineno, outer.node.end_lineno)
        outer = outer.parent
    shadowed = _rebinding_loops(fn_node, end)
    out = set()
    body = [fn_node.body] if isinstance(fn_node, ast.Lambda) else fn_node.body
    for stmt in body:
        for sub in ast.walk(stmt):
            if isinstance(sub, ast.Name) and isinstance(sub.ctx, ast.Load):
                pos = (sub.lineno, sub.col_offset)
                if pos > end and not any(sub.id in names and lo <= sub.lineno <= hi
                                         for names, lo, hi in shadowed):
                    out.add(sub.id)
                elif outer_span and outer_span[0] <= sub.lineno <= outer_span[1] and not (
                        node.lineno <= sub.lineno <= node.end_lineno):
                    out.add(sub.id)
    return out


def _rebinding_loops(fn_node, after: tuple[int, int]) -> list[tuple[set[str], int, int]]:
    """Later ``for`` loops: a read of their target inside them sees their own binding."""
    out = []
    for node in ast.walk(fn_node):
        if isinstance(node, ast.For) and (node.lineno, node.col_offset) > after:
            out.append((set(target_names(node.target)), node.lineno, node.end_lineno))
    return out


def _is_number(expr: Optional[ast.expr]) -> bool:
    if isinstance(expr, ast.UnaryOp) and isinstance(expr.op, (ast.USub, ast.UAdd)):
        expr = expr.operand
    return isinstance(expr, ast.Constant) and isinstance(expr.value, (int, float)) \
        and not isinstance(expr.value, bool)
