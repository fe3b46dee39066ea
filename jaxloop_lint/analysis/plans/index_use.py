"""The loop index after the rewrite is a traced int32, not a Python int: it may index arrays
(and be a value where a traced int gives the same numbers), nothing that needs a Python int."""
from __future__ import annotations

import ast
from typing import Optional

from .. import jaxapi
from ..names import loads, parent_map, target_names
from ..values import Kind
from .context import LoopContext
from .types import Refuse


def check_index(ctx: LoopContext, target: ast.expr) -> Optional[str]:
    """The loop index may only index arrays: as a traced int32 anything else changes."""
    if not isinstance(target, ast.Name):
        raise Refuse("the loop index is not a plain name")
    name = target.id
    env = ctx.loop.env_after
    for stmt in ctx.body:
        parents = parent_map(stmt)
        for sub in ast.walk(stmt):  # functions defined in the body run in the step too
            if isinstance(sub, ast.Name) and sub.id == name:
                if isinstance(sub.ctx, ast.Store):
                    raise Refuse(f"the body reassigns the loop index `{name}`")
                subscript = _index_owner(sub, parents)
                base = subscript.value if subscript is not None else None
                if isinstance(base, ast.Name) and base.id in env \
                        and env[base.id].kind is Kind.STATIC:
                    raise Refuse(f"the loop index `{name}` indexes the Python value "
                                 f"`{base.id}`, which a traced index cannot index")
                if subscript is None and not _value_argument(ctx, sub, parents):
                    raise Refuse(
                        f"the loop index `{name}` is used as a Python number "
                        f"(`{ast.unparse(parents.get(sub, sub))}`): it would become a "
                        "traced int32")
    _check_derived(ctx, name)
    return name


def _check_derived(ctx: LoopContext, index: str) -> None:
    """Values computed from the index (``start = offsets[i]``) become traced too: as a
    slice bound or a Python condition they would stop the rewrite from tracing (or were
    static only because the index was a Python int)."""
    derived = {index}
    body = ctx.body
    for _ in range(2):
        for stmt in body:
            for sub in ast.walk(stmt):
                if isinstance(sub, ast.Assign) and loads(sub.value) & derived:
                    for t in sub.targets:
                        derived |= set(target_names(t))
    derived.discard(index)
    if not derived:
        return
    for stmt in body:
        for sub in ast.walk(stmt):
            static_parts = []
            if isinstance(sub, ast.Slice):
                static_parts = [p for p in (sub.lower, sub.upper, sub.step) if p is not None]
            elif isinstance(sub, (ast.If, ast.While, ast.IfExp, ast.Assert)):
                static_parts = [sub.test]
            elif isinstance(sub, ast.Call) and isinstance(sub.func, ast.Name) \
                    and sub.func.id in jaxapi.STATIC_ARGUMENT_BUILTINS:
                static_parts = list(sub.args)
            for part in static_parts:
                used = loads(part) & derived
                if used:
                    raise Refuse(f"`{sorted(used)[0]}` is computed from the loop index "
                                 f"and used where a static value is needed "
                                 f"(`{ast.unparse(part)}`): it would become traced")


def _value_argument(ctx: LoopContext, name: ast.Name, parents: dict) -> bool:
    """``jnp.where(c, i, best)`` / ``jnp.maximum(i, k)``: the index used as a value gives
    the same numbers and dtype as a traced int32 as it did as a Python int."""
    call = parents.get(name)
    if not isinstance(call, ast.Call) or name not in call.args or call.keywords:
        return False
    qual = ctx.imports.qualname(call.func)
    if qual in ("jax.numpy.maximum", "jax.numpy.minimum"):
        return True
    return qual == "jax.numpy.where" and call.args.index(name) in (1, 2)


def _index_owner(name: ast.Name, parents: dict) -> Optional[ast.Subscript]:
    """The subscript ``name`` indexes: ``xs[i]``, ``xs[i + 1]``, ``xs[:, i]``, ``xs.at[i]``."""
    node: ast.AST = name
    while True:
        parent = parents.get(node)
        if isinstance(parent, ast.BinOp) and isinstance(parent.op, (ast.Add, ast.Sub)) and all(
                isinstance(side, ast.Name) or isinstance(side, ast.Constant)
                and isinstance(side.value, int) for side in (parent.left, parent.right)):
            node = parent
            continue
        if isinstance(parent, ast.Tuple):
            node = parent
            continue
        return parent if isinstance(parent, ast.Subscript) and parent.slice is node else None
