"""Per-step outputs: a list created empty just before the loop, appended once per step, and
stacked once after it is the scan's ``ys`` (the list, the append and the stack are rewritten)."""
from __future__ import annotations

import ast
from typing import Optional

from .. import jaxapi
from ..names import loads, stores, walk_scope
from ..values import Kind
from .context import LoopContext
from .types import Output, Refuse


def per_step_outputs(ctx: LoopContext) -> list[Output]:
    local = set(ctx.body_stores)
    appended: dict[str, list[ast.Call]] = {}
    for stmt in ctx.body:
        for sub in walk_scope(stmt):
            if isinstance(sub, ast.Call) and isinstance(sub.func, ast.Attribute) \
                    and isinstance(sub.func.value, ast.Name) \
                    and sub.func.attr in jaxapi.LIST_ADDERS \
                    and sub.func.value.id not in local:
                appended.setdefault(sub.func.value.id, []).append(sub)
            elif isinstance(sub, ast.AugAssign) and isinstance(sub.target, ast.Name) \
                    and isinstance(sub.value, (ast.List, ast.Tuple)):
                raise Refuse(f"`{sub.target.id} += [...]` instead of "
                             f"`{sub.target.id}.append` for a per-step output")
    return [_output(ctx, name, calls) for name, calls in appended.items()]


def _output(ctx: LoopContext, name: str, calls: list[ast.Call]) -> Output:
    if len(calls) != 1 or calls[0].func.attr != "append" or len(calls[0].args) != 1:
        raise Refuse(f"`{name}` is not appended exactly once per step")
    call = calls[0]
    stmt = next((s for s in ctx.body if isinstance(s, ast.Expr) and s.value is call), None)
    if stmt is None:
        raise Refuse(f"`{name}.append` is conditional or nested: the number of outputs "
                     "would depend on the data")
    uses = [n for s in ctx.body for n in walk_scope(s)
            if isinstance(n, ast.Name) and n.id == name]
    if len(uses) != 1:
        raise Refuse(f"`{name}` is read inside the loop")
    fact = next((a for a in ctx.facts.appends if a.node is call), None)
    if fact is None or fact.value.kind < Kind.PYTREE:
        raise Refuse(f"`{name}` collects Python values, not traced arrays")
    init = _init(ctx, name)
    consumer, axis, reverse = _consumer(ctx, name)
    return Output(name, init, stmt, call.args[0], consumer, axis, reverse)


def _init(ctx: LoopContext, name: str) -> ast.Assign:
    block = _enclosing_block(ctx.fn.node, ctx.node)
    if block is None:
        raise Refuse(f"`{name} = []` is not in the loop's block")
    pos = block.index(ctx.node)
    for stmt in reversed(block[:pos]):
        if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1 \
                and isinstance(stmt.targets[0], ast.Name) and stmt.targets[0].id == name:
            if isinstance(stmt.value, ast.List) and not stmt.value.elts:
                return stmt
            break
        if name in loads(stmt) or name in stores([stmt]):
            break
    raise Refuse(f"`{name}` is not created as `[]` just before the loop")


def _tree_stack(ctx: LoopContext, call, starred: ast.Starred) -> bool:
    """``jax.tree.map(lambda *xs: jnp.stack(xs), *outs)``: the scan's ys for steps that
    append a tuple or dict of arrays."""
    if not (isinstance(call, ast.Call) and not call.keywords and len(call.args) == 2
            and call.args[1] is starred and isinstance(call.args[0], ast.Lambda)
            and ctx.imports.qualname(call.func) in jaxapi.TREE_MAPS):
        return False
    fn = call.args[0]
    params = fn.args
    if params.vararg is None or params.args or params.posonlyargs or params.kwonlyargs \
            or params.kwarg is not None:
        return False
    body = fn.body
    return isinstance(body, ast.Call) and not body.keywords and len(body.args) == 1 \
        and ctx.imports.qualname(body.func) == "jax.numpy.stack" \
        and isinstance(body.args[0], ast.Name) and body.args[0].id == params.vararg.arg


def _consumer(ctx: LoopContext, name: str) -> tuple[ast.Call, int, bool]:
    node = ctx.node
    end = node.end_lineno
    uses = []
    parents = ctx.fn_parents
    for sub in ctx.fn_scope:
        if isinstance(sub, ast.Name) and sub.id == name and isinstance(sub.ctx, ast.Load) \
                and not (node.lineno <= sub.lineno <= end):
            uses.append(sub)
    uses.sort(key=lambda n: (n.lineno, n.col_offset))
    # ``outs = outs[::-1]`` before the stack means the same on the stacked array.
    while len(uses) > 1 and _is_self_reverse(parents.get(parents.get(uses[0])), name):
        uses.pop(0)
    if len(uses) != 1 or uses[0].lineno <= end:
        raise Refuse(f"`{name}` is used after the loop other than in one `jnp.stack`")
    arg: ast.expr = uses[0]
    call = parents.get(arg)
    reverse = False
    if isinstance(call, ast.Subscript) and call.value is arg and is_reverse(call.slice):
        arg, call, reverse = call, parents.get(call), True  # jnp.stack(outs[::-1])
    if isinstance(call, ast.Starred) and _tree_stack(ctx, parents.get(call), call):
        return parents[call], 0, reverse  # pytree steps: stacked leaf by leaf, as scan does
    if not isinstance(call, ast.Call) or not call.args or call.args[0] is not arg \
            or ctx.imports.qualname(call.func) not in jaxapi.YS_STACKERS:
        raise Refuse(f"`{name}` is consumed by something other than jnp.stack / "
                     "jnp.array / jnp.asarray / a jax.tree.map stack")
    qual = ctx.imports.qualname(call.func)
    axis = 0
    extra = list(call.args[1:]) + [k.value for k in call.keywords if k.arg == "axis"]
    if any(k.arg != "axis" for k in call.keywords) or len(extra) > 1 or (
            extra and qual != "jax.numpy.stack"):
        raise Refuse(f"`{ast.unparse(call)}` has arguments the rewrite does not handle")
    if extra:
        value = extra[0]
        if isinstance(value, ast.UnaryOp) and isinstance(value.op, ast.USub) \
                and isinstance(value.operand, ast.Constant):
            axis = -value.operand.value
        elif isinstance(value, ast.Constant) and isinstance(value.value, int):
            axis = value.value
        else:
            raise Refuse("the stacking axis is not a literal")
    return call, axis, reverse


def _enclosing_block(fn_node, target: ast.stmt) -> Optional[list]:
    for node in ast.walk(fn_node):
        for field_name in ("body", "orelse", "finalbody"):
            block = getattr(node, field_name, None)
            if isinstance(block, list) and any(s is target for s in block):
                return block
    return None


def _is_self_reverse(stmt, name: str) -> bool:
    return isinstance(stmt, ast.Assign) and len(stmt.targets) == 1 \
        and isinstance(stmt.targets[0], ast.Name) and stmt.targets[0].id == name \
        and isinstance(stmt.value, ast.Subscript) and isinstance(stmt.value.value, ast.Name) \
        and stmt.value.value.id == name and is_reverse(stmt.value.slice)


def is_reverse(index: ast.expr) -> bool:
    """``[::-1]``."""
    return isinstance(index, ast.Slice) and index.lower is None and index.upper is None \
        and isinstance(index.step, ast.UnaryOp) and isinstance(index.step.op, ast.USub) \
        and isinstance(index.step.operand, ast.Constant) and index.step.operand.value == 1
