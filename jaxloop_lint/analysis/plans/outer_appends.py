"""JXL203's fix for the one case with a clear meaning (recipe R11): a ``jax.lax.scan`` body that
appends to an outer list which is stacked after the loop. The list becomes the scan's ``ys``.

    outs = []                                   def step(c, x):
    def step(c, x):                                 c = c + x
        c = c + x                         ->        return c, g(c)
        outs.append(g(c))                       c, outs = jax.lax.scan(step, c, xs)
        return c, None                          ys = outs
    c, _ = jax.lax.scan(step, c, xs)
    ys = jnp.stack(outs)

Always unsafe: the original does not compute what it seems to (the body is traced once, so the
list holds one tracer and ``jnp.stack`` raises UnexpectedTracerError or stacks one value); the
rewrite computes what it was meant to, which changes behaviour by definition.
"""
from __future__ import annotations

import ast
from typing import Union

from .. import jaxapi
from .edits import DELETE_STMT, REPLACE_EXPR, REPLACE_STMT, Edit, EditPlan, Source
from ..index import ModuleIndex
from ..lax_bodies import BodyFacts
from ..names import parent_map, stores, walk_scope
from .types import Refuse as _Refuse, Refusal


def ys_plan(index: ModuleIndex, facts: BodyFacts, node: ast.AST) -> Union[EditPlan, Refusal]:
    try:
        return _ys_plan(index, facts, node)
    except _Refuse as refusal:
        return Refusal(str(refusal))


def _ys_plan(index: ModuleIndex, facts: BodyFacts, node: ast.AST) -> EditPlan:
    if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
            and node.func.attr == "append" and isinstance(node.func.value, ast.Name)):
        raise _Refuse("the outer state is not a list the body appends to")
    outs = node.func.value.id
    site = facts.site
    if site.qualname != "jax.lax.scan":
        raise _Refuse("only a jax.lax.scan body returns per-step outputs; rewrite the loop as "
                      "a scan first")
    fn = facts.body.node
    scope = site.scope
    if not isinstance(fn, ast.FunctionDef) or scope is None or facts.body.parent is not scope:
        raise _Refuse("the body is not a def in the function that runs the scan")
    call = site.call
    if not (call.args and isinstance(call.args[0], ast.Name) and call.args[0].id == fn.name):
        raise _Refuse("the body is not passed by its name")
    append_stmt = next((s for s in fn.body if isinstance(s, ast.Expr) and s.value is node), None)
    if append_stmt is None or len(node.args) != 1 or node.keywords:
        raise _Refuse(f"`{outs}.append` is not a statement of its own at the top of the body")
    if sum(isinstance(n, ast.Name) and n.id == outs for n in ast.walk(fn)) != 1:
        raise _Refuse(f"the body uses `{outs}` more than once")
    returns = [n for n in walk_scope(fn) if isinstance(n, ast.Return)]
    if not returns or not all(isinstance(r.value, ast.Tuple) and len(r.value.elts) == 2
                              and isinstance(r.value.elts[1], ast.Constant)
                              and r.value.elts[1].value is None for r in returns):
        raise _Refuse("the body already returns per-step outputs (or not `carry, None`)")
    stmt = next((s for s in walk_scope(scope.node) if isinstance(s, ast.Assign)
                 and s.value is call), None)
    if stmt is None or len(stmt.targets) != 1 or not (
            isinstance(stmt.targets[0], ast.Tuple) and len(stmt.targets[0].elts) == 2
            and isinstance(stmt.targets[0].elts[1], ast.Name)
            and stmt.targets[0].elts[1].id == "_"):
        raise _Refuse("the scan's result is not unpacked as `carry, _ = ...`")
    init, consumer = _outer_uses(index, scope.node, fn, outs, stmt)
    if sum(isinstance(n, ast.Name) and n.id == fn.name for n in walk_scope(scope.node)) != 1:
        raise _Refuse(f"`{fn.name}` is used more than once")

    edits = [Edit(DELETE_STMT, init), Edit(REPLACE_EXPR, stmt.targets[0].elts[1], (outs,)),
             Edit(REPLACE_EXPR, consumer, (outs,))]
    value = node.args[0]
    later = fn.body[fn.body.index(append_stmt) + 1:]
    if isinstance(value, ast.Name) and value.id not in stores(later):
        y = value.id
        edits.append(Edit(DELETE_STMT, append_stmt))
    else:
        y = f"{outs}_t"
        if any(isinstance(n, ast.Name) and n.id == y for n in ast.walk(scope.node)):
            raise _Refuse(f"`{y}` is taken")
        edits.append(Edit(REPLACE_STMT, append_stmt, (f"{y} = ", Source(value))))
    edits += [Edit(REPLACE_EXPR, r.value.elts[1], (y,)) for r in returns]
    plan = EditPlan(f"`{outs}` as the scan's ys",
                    f"return the appended value from the body as the scan's per-step output "
                    f"`{outs}`", edits)
    plan.notes.append("the original stacks what one trace appended; the rewrite stacks one "
                      "value per step")
    return plan


def _outer_uses(index: ModuleIndex, scope_node, body_fn, outs: str, stmt: ast.stmt):
    """``outs = []`` before the scan statement and the one ``jnp.stack(outs)`` after it."""
    init = consumer = None
    parents = parent_map(scope_node)
    for n in walk_scope(scope_node):
        if not (isinstance(n, ast.Name) and n.id == outs):
            continue
        parent = parents.get(n)
        if isinstance(n.ctx, ast.Store) and isinstance(parent, ast.Assign) \
                and parent.targets == [n] and isinstance(parent.value, ast.List) \
                and not parent.value.elts and parent.lineno < stmt.lineno and init is None:
            init = parent
            continue
        if isinstance(parent, ast.Call) and parent.args == [n] and not parent.keywords \
                and index.imports.qualname(parent.func) in jaxapi.YS_STACKERS \
                and parent.lineno > stmt.end_lineno and consumer is None:
            consumer = parent
            continue
        raise _Refuse(f"`{outs}` is used outside the body other than `{outs} = []` and one "
                      f"`jnp.stack({outs})` after the scan")
    if init is None or consumer is None:
        raise _Refuse(f"no `{outs} = []` before the scan and `jnp.stack({outs})` after it")
    return init, consumer
