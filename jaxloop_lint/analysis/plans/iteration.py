"""Iteration forms: what a ``for`` loop iterates, as what the lax loop iterates.

``range`` without per-step outputs becomes a fori_loop; ``range`` / ``reversed`` / ``enumerate``
/ ``zip`` / an array become a scan over arrays (``Over`` / ``Arange`` / ``Positions`` of the
original expressions); ``range(min(n, K))`` with ``n`` traced becomes a padded scan over ``K``.
The body's masked stop (``if c: break``) turns a scan into a masked scan.
"""
from __future__ import annotations

import ast
from typing import Optional

from ..loops import LoopKind
from ..values import Kind
from ..names import loads
from .context import LoopContext
from . import masking
from .differentiated import check_differentiable
from .index_use import check_index
from .types import FORI, SCAN, VMAP, Arange, LoopPlan, Output, Over, Positions, Refuse, Xs

_NOT_ARRAYS = ("zip", "range", "enumerate", "reversed", "iter", "map", "filter")


def plan_for(ctx: LoopContext, carried: list[str], outputs: list[Output]) -> LoopPlan:
    node = ctx.node
    it = node.iter
    kind = ctx.loop.kind
    call = it if isinstance(it, ast.Call) and isinstance(it.func, ast.Name) else None
    name = call.func.id if call is not None else None
    if name == "reversed" and call.args and _calls(call.args[0], "range"):
        rng = call.args[0]
        if kind is LoopKind.TRACED_RANGE:
            raise Refuse("`reversed(range(...))` over a traced bound has no static length")
        check_index(ctx, node.target)
        return _scan(ctx, carried, outputs, [Arange(tuple(rng.args), reverse=True)],
                     node.target)
    if name == "range":
        return _plan_range(ctx, call, carried, outputs)
    if kind is not LoopKind.ARRAY:
        raise Refuse("the iteration form is not supported")
    if ctx.loop.assumed_array:
        ctx.notes.append(f"`{ast.unparse(ctx.loop.subject)}` may be a list, not an array: "
                         "jax.lax.scan would step through each of its arrays instead")
    if name == "reversed":
        return _scan(ctx, carried, outputs, [Over(call.args[0], reverse=True)], node.target)
    if name == "enumerate":
        return _scan(ctx, carried, outputs, _enumerated(ctx, call), node.target)
    if name == "zip":
        if any(isinstance(a, ast.Starred) for a in call.args) or call.keywords:
            raise Refuse("`zip(*...)` / `zip(..., strict=...)` is not supported")
        if not isinstance(node.target, ast.Tuple) or len(node.target.elts) != len(call.args):
            raise Refuse("the `zip` target does not unpack each array")
        ctx.notes.append("jax.lax.scan raises where `zip` would silently stop at the "
                         "shortest array")
        return _scan(ctx, carried, outputs, [_zipped(a) for a in call.args], node.target)
    return _scan(ctx, carried, outputs, [Over(it)], node.target)


def _plan_range(ctx: LoopContext, call: ast.Call, carried, outputs) -> LoopPlan:
    kind = ctx.loop.kind
    target = ctx.node.target
    index = check_index(ctx, target)
    padded = _static_maximum(ctx, call) if kind is LoopKind.TRACED_RANGE else None
    if padded is not None and ctx.stop is None:
        return _padded(ctx, carried, outputs, index, *padded)
    if kind is LoopKind.TRACED_RANGE:
        if outputs:
            raise Refuse("per-step outputs need a static trip count, and "
                         f"`{ast.unparse(ctx.loop.traced)}` is traced")
        _check_python_minmax(ctx, call)
        reason = check_differentiable(ctx.index, ctx.fn, "jax.lax.fori_loop with a traced bound")
        if reason:
            raise Refuse(reason)
        ctx.notes.append("jax.lax.fori_loop with a traced bound is not "
                         "reverse-differentiable")
    step = call.args[2] if len(call.args) == 3 else None
    unit_step = step is None or isinstance(step, ast.Constant) and step.value == 1
    if not outputs and unit_step and ctx.stop is None:
        lower = call.args[0] if len(call.args) > 1 else None
        upper = call.args[1] if len(call.args) > 1 else call.args[0]
        return LoopPlan(FORI, ctx.loop, ctx.fn, carried, lower=lower, upper=upper, index=index)
    if kind is LoopKind.TRACED_RANGE:
        raise Refuse("a `break` needs a static trip count" if ctx.stop is not None
                     else "jax.lax.fori_loop needs a step of 1 when the bound is traced")
    return _scan(ctx, carried, outputs, [Arange(tuple(call.args))], target)


def _check_python_minmax(ctx: LoopContext, call: ast.Call) -> None:
    """``range(1, min(n, 8))`` with ``n`` traced: Python's ``min`` compares a tracer and raises
    wherever it runs, so a lax loop keeping it as its bound raises too. Also through a name
    bound to it (``k = min(n, 8)`` ... ``range(k)``)."""
    env = ctx.loop.env_after
    inits = ctx.initial_values
    for arg in call.args:
        parts = [arg] + [inits[n.id] for n in ast.walk(arg)
                         if isinstance(n, ast.Name) and n.id in inits]
        for part in parts:
            for sub in ast.walk(part):
                if isinstance(sub, ast.Call) and isinstance(sub.func, ast.Name) \
                        and sub.func.id in ("min", "max") and ctx.imports.qualname(
                            sub.func) is None and sub.func.id not in ctx.bound_before - {
                            "min", "max"} and not all(_is_static_expr(a, env)
                                                      for a in sub.args):
                    fix = "jnp.minimum" if sub.func.id == "min" else "jnp.maximum"
                    raise Refuse(f"Python's `{sub.func.id}` in `{ast.unparse(sub)}` compares a "
                                 "traced value, which raises wherever it runs: with "
                                 f"`{fix}` the loop can become a fori_loop")


def _enumerated(ctx: LoopContext, call: ast.Call) -> list[Xs]:
    """``enumerate(xs[, start])``: the positions and the array."""
    target = ctx.node.target
    if not isinstance(target, ast.Tuple) or len(target.elts) != 2:
        raise Refuse("`enumerate` without an `(i, x)` target")
    check_index(ctx, target.elts[0])
    inner = call.args[0]
    if isinstance(inner, ast.Call) and isinstance(inner.func, ast.Name) \
            and inner.func.id == "reversed" and len(inner.args) == 1:
        array = Over(inner.args[0], reverse=True)  # enumerate(reversed(xs))
    elif isinstance(inner, ast.Call) and isinstance(inner.func, ast.Name) \
            and inner.func.id in ("zip", "range", "enumerate", "reversed"):
        raise Refuse(f"`enumerate({inner.func.id}(...))` is not supported")
    else:
        array = Over(inner)
    return [Positions(array, _keyword_or_arg(call, "start", 1)), array]


def _zipped(expr: ast.expr) -> Over:
    """An argument of ``zip`` as an array: ``reversed(ys)`` is ``ys[::-1]``."""
    if isinstance(expr, ast.Call) and isinstance(expr.func, ast.Name):
        if expr.func.id == "reversed" and len(expr.args) == 1 and not expr.keywords:
            return Over(expr.args[0], reverse=True)
        if expr.func.id in _NOT_ARRAYS:
            raise Refuse(f"`zip` over `{expr.func.id}(...)` is not supported")
    return Over(expr)


def _static_maximum(ctx: LoopContext, call: ast.Call):
    """``range(min(n, K))`` with ``n`` traced and ``K`` static: (K, n) as original nodes."""
    if len(call.args) != 1:
        return None
    bound = call.args[0]
    shown = None
    if isinstance(bound, ast.Name) and ctx.assigned_once(bound.id):
        # ``n = min(length, K)`` (or ``jnp.minimum``) earlier, then ``range(n)``
        shown, bound = bound, ctx.initial_values.get(bound.id)
    if not (isinstance(bound, ast.Call) and len(bound.args) == 2 and not bound.keywords
            and (isinstance(bound.func, ast.Name) and bound.func.id == "min"
                 or ctx.imports.qualname(bound.func) == "jax.numpy.minimum")):
        return None
    env = ctx.loop.env_after
    static = [a for a in bound.args if _is_static_expr(a, env)]
    if len(static) != 1:
        return None
    traced = bound.args[1] if static[0] is bound.args[0] else bound.args[0]
    return static[0], shown or traced


def _padded(ctx: LoopContext, carried, outputs, index, maximum: ast.expr,
            bound: ast.expr) -> LoopPlan:
    """Pad and mask: scan over the static maximum, steps past the traced bound keep every
    carry unchanged. Unlike fori_loop with a traced bound, it stays reverse-differentiable."""
    if outputs:
        raise Refuse("per-step outputs would have the padded length, not the traced one")
    guarded = masking.guards(ctx, ctx.body, after_stop=False)
    ctx.notes.append("the padded steps still compute on the data past the bound (log, sqrt "
                     "and division guarded): gradients assume that data is finite")
    # ``range`` read its bound once: a body that rebinds it must not move the mask
    rebound = bool(loads(bound) & set(ctx.body_stores))
    return LoopPlan(SCAN, ctx.loop, ctx.fn, carried, xs=[Arange((maximum,))],
                    step_target=ctx.node.target, index=index, mask_bound=bound,
                    mask_bound_snapshot=rebound, guards=guarded)


def _scan(ctx: LoopContext, carried, outputs, xs: list[Xs], target) -> LoopPlan:
    if ctx.stop is not None:
        jump = {ast.Break: "break", ast.Continue: "continue",
                ast.Return: "return"}[type(ctx.stop.body[0])]
        if outputs:
            raise Refuse(f"per-step outputs with a `{jump}`: their number depends on the "
                         "data")
        if not carried:
            raise Refuse("nothing computed in the loop is used after it")
        at = ctx.body.index(ctx.stop)
        guarded = masking.guards(ctx, ctx.body[at + 1:], after_stop=True)
        if jump != "continue":  # after a break / return, every later step is masked
            guarded = masking.guards(ctx, ctx.body[:at], after_stop=False) + guarded
        if jump == "return":
            masking.check_unguarded(ctx, [ctx.stop.body[0].value, ctx.final_return.value],
                                    "the rewrite's `jnp.where` over both return values")
        masking.check_unguarded(ctx, [s.value for s in ctx.node.orelse
                                      if isinstance(s, (ast.Assign, ast.AugAssign))],
                                "the `else:` clause, rewritten as a `jnp.where`,")
        ctx.notes.append(f"the steps masked by `{jump}` still compute on the data after it "
                         "(log, sqrt and division guarded): gradients assume that data is "
                         "finite")
        if jump == "return":
            ctx.notes.append("both return values are computed and jnp.where picks one")
        return LoopPlan(SCAN, ctx.loop, ctx.fn, carried, xs=xs, step_target=target,
                        stop=ctx.stop, final_return=ctx.final_return, guards=guarded)
    # No state flows from one step to the next: the steps are independent, run them in
    # parallel with vmap instead of one after another.
    form = VMAP if outputs and not carried else SCAN
    return LoopPlan(form, ctx.loop, ctx.fn, carried, outputs, xs=xs, step_target=target)


def _calls(expr: ast.expr, builtin: str) -> bool:
    return isinstance(expr, ast.Call) and isinstance(expr.func, ast.Name) \
        and expr.func.id == builtin


def _is_static_expr(expr: ast.expr, env) -> bool:
    """A literal, a shape (``xs.shape[0]``, ``len(xs)``) or a name holding a static value."""
    if isinstance(expr, ast.Constant) and isinstance(expr.value, int):
        return True
    if isinstance(expr, ast.Name):
        val = env.get(expr.id)
        return val is not None and val.kind <= Kind.SHAPE
    return any(isinstance(n, ast.Attribute) and n.attr == "shape" for n in ast.walk(expr)) \
        and not any(isinstance(n, ast.Name) and n.id in env and env[n.id].kind is Kind.TRACED
                    and not _shape_of(n, expr) for n in ast.walk(expr))


def _shape_of(name: ast.Name, expr: ast.expr) -> bool:
    return any(isinstance(n, ast.Attribute) and n.attr == "shape" and n.value is name
               for n in ast.walk(expr))


def _keyword_or_arg(call: ast.Call, name: str, position: int) -> Optional[ast.expr]:
    if len(call.args) > position:
        return call.args[position]
    for k in call.keywords:
        if k.arg == name:
            return k.value
    return None
