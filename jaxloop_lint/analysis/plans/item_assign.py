"""JXL204's fix: ``x[i] = v`` -> ``x = x.at[i].set(v)``, ``x[i] += v`` -> ``x = x.at[i].add(v)``.

The original raises ``TypeError`` on a JAX array, so the reference is what the author meant:
numpy's in-place semantics. The rebinding form agrees with it when
* nobody else holds the array (numpy's write would be seen through every alias, and by the
  caller for an argument): the name is a local of this function, never copied to another name;
* no index repeats in an augmented assignment (numpy applies ``x[idx] += 1`` once per distinct
  index, ``.at[idx].add(1)`` once per occurrence): the index is built from integers, names of
  integers, and slices;
* the index is in bounds (numpy raises IndexError, ``.at[]`` drops the write): assumed, as the
  program was written for it; the docs say so.
"""
from __future__ import annotations

import ast
from typing import Union

from .. import jaxapi
from .edits import REPLACE_STMT, AtIndex, Code, Edit, EditPlan, Source
from ..flow import FunctionFacts, ItemAssignFact
from ..names import walk_scope
from .types import Refusal


def item_assign_plan(facts: FunctionFacts, item: ItemAssignFact) -> Union[EditPlan, Refusal]:
    stmt = item.stmt
    name = item.name
    if isinstance(stmt, ast.Assign) and len(stmt.targets) != 1:
        return Refusal("a chained assignment (`a[i] = b[i] = v`)")
    fn = facts.function.node
    params = _params(fn)
    if not _bound_in(fn, name) and name not in params:
        return Refusal(f"`{name}` belongs to an enclosing scope: rebinding it here would make "
                       "it local")
    index = ast.unparse(item.target)[len(name) + 1:-1]  # for the message: ``:, 0``
    value: Code = (Source(stmt.value),)
    if isinstance(stmt, ast.AugAssign):
        method = jaxapi.AT_METHODS.get(type(stmt.op).__name__)
        if method is None:  # //=, %=, ... have no .at method: read, combine, set
            op = ast.unparse(ast.BinOp(ast.Name("a"), stmt.op, ast.Name("b")))[2:-2]
            atomic = isinstance(stmt.value, (ast.Name, ast.Constant, ast.Attribute,
                                             ast.Subscript, ast.Call))
            value = (Source(item.target), f" {op} ") + (value if atomic else ("(",) + value
                                                        + (")",))
            method = "set"
    else:
        method = "set"
    new = (f"{name} = ", AtIndex(item.target), f".{method}(") + value + (")",)
    plan = EditPlan(f"{name}.at[].{method}()", f"rewrite as `{name} = {name}.at[...].{method}(...)`",
                    [Edit(REPLACE_STMT, stmt, new)])
    holds = _holds_argument(fn, name, stmt, params)
    if holds == _IS:
        plan.notes.append(f"`{name}` is an argument: numpy would update the caller's array in "
                          "place, the rewrite rebinds a local name")
    elif holds == _MAY:
        plan.notes.append(f"`{name}` may still hold (a view of) an argument: numpy would update "
                          "the caller's array in place, the rewrite rebinds a local name")
    elif _aliased(fn, name):
        plan.notes.append(f"`{name}` is also held under another name, which numpy would update "
                          "too")
    if isinstance(stmt, ast.AugAssign) and not _distinct_indices(item.target.slice,
                                                                 _range_indices(facts, stmt)):
        plan.notes.append(f"if `{index}` repeats an index, .at[].{method} applies every "
                          "occurrence where numpy applies one")
    return plan


_IS, _MAY = "is", "may"
# numpy functions and methods whose result can share memory with their argument (a view, or
# the array itself): writing into it updates the argument too.
_VIEWS = {"asarray", "asanyarray", "reshape", "ravel", "view", "transpose", "squeeze",
          "swapaxes", "moveaxis", "expand_dims", "broadcast_to", "atleast_1d", "atleast_2d",
          "atleast_3d", "flip", "fliplr", "flipud", "diagonal", "matrix_transpose",
          "permute_dims", "real", "imag", "T", "mT", "rot90", "squeeze", "split"}


def _holds_argument(fn, name: str, stmt: ast.stmt, params: set[str]):
    """Does ``name`` hold an argument (or a view of one) where ``stmt`` writes into it?
    ``_IS``: a parameter never rebound before; ``_MAY``: a rebinding that may keep it (a view,
    an alias, a call the tool does not know, or one only on some paths); None: every path
    rebinds it to a new array first (``probs = jnp.exp(probs)``), or it never held one."""
    body = fn.body if isinstance(fn.body, list) else []
    state = _IS if name in params else None
    for top in body:
        inside = top.lineno <= stmt.lineno <= (top.end_lineno or top.lineno)
        if not inside and _is_plain_binding(top, name):  # unconditional: replaces the state
            state = _value_holds(top.value, params)
            continue
        for sub in walk_scope(top):  # bindings on some paths only: the state may survive
            if inside and getattr(sub, "lineno", 0) >= stmt.lineno:
                continue  # at or after the write (a later step of a loop: see below)
            if _is_plain_binding(sub, name):
                holds = _value_holds(sub.value, params)
                if state == _IS or holds is not None:
                    state = _MAY
            elif isinstance(sub, ast.Name) and sub.id == name and isinstance(sub.ctx, ast.Store) \
                    and state == _IS:
                state = _MAY  # ``for probs in ...``, ``a, probs = ...``: anything
        if inside:
            break
    return state


def _is_plain_binding(node, name: str) -> bool:
    return (isinstance(node, ast.Assign) and len(node.targets) == 1
            or isinstance(node, ast.AnnAssign) and node.value is not None) and isinstance(
        node.targets[0] if isinstance(node, ast.Assign) else node.target, ast.Name) and (
        node.targets[0] if isinstance(node, ast.Assign) else node.target).id == name


def _value_holds(value: ast.expr, params: set[str]):
    """What a name bound to ``value`` holds: a new array (None), or maybe an argument."""
    if isinstance(value, (ast.BinOp, ast.UnaryOp, ast.Compare, ast.Constant, ast.List,
                          ast.ListComp)):
        return None  # numpy arithmetic makes a new array
    if isinstance(value, ast.Call) and isinstance(value.func, ast.Attribute):
        if value.func.attr in _VIEWS:  # ``x.reshape(...)``, ``jnp.asarray(x)``: may share
            return _MAY if _mentions(value, params) else None
        if _from_numpy(value.func) or value.func.attr in ("copy", "astype"):
            return None  # ``jnp.exp(x)``, ``x.copy()``: a new array
        return _MAY  # a method the tool does not know
    if isinstance(value, (ast.Name, ast.Subscript, ast.Attribute)):  # the same array, a view
        return _MAY if _mentions(value, params) else None
    return _MAY  # a call the tool does not see into


def _from_numpy(func: ast.Attribute) -> bool:
    """``jnp.zeros`` / ``np.exp`` / ``jax.numpy.exp``: a numpy-style function (a new array)."""
    root = func.value
    while isinstance(root, ast.Attribute):
        root = root.value
    return isinstance(root, ast.Name) and root.id in ("jnp", "np", "jax", "numpy", "lax")


def _mentions(value: ast.expr, params: set[str]) -> bool:
    return any(isinstance(n, ast.Name) and n.id in params for n in ast.walk(value))


def _params(fn) -> set[str]:
    args = fn.args
    return {a.arg for a in args.posonlyargs + args.args + args.kwonlyargs}


def _bound_in(fn, name: str) -> bool:
    return any(isinstance(n, ast.Name) and n.id == name and isinstance(n.ctx, ast.Store)
               for n in walk_scope(fn)) and not any(
        isinstance(n, (ast.Global, ast.Nonlocal)) and name in n.names for n in walk_scope(fn))


def _aliased(fn, name: str) -> bool:
    """``y = x``, ``y = (x, z)``, ``ys.append(x)``: another reference to the same array."""
    for node in walk_scope(fn):
        value = None
        if isinstance(node, (ast.Assign, ast.AnnAssign)):
            value = node.value
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) \
                and node.func.attr in jaxapi.LIST_ADDERS + ("add",):
            value = ast.Tuple(list(node.args), ast.Load())
        if value is None:
            continue
        parts = value.elts if isinstance(value, (ast.Tuple, ast.List)) else [value]
        if any(isinstance(p, ast.Name) and p.id == name for p in parts):
            if isinstance(node, ast.Assign) and all(
                    isinstance(t, ast.Name) and t.id == name for t in node.targets):
                continue  # ``x = x``
            return True
    return False


def _range_indices(facts: FunctionFacts, stmt: ast.stmt) -> set[str]:
    """Indices of the ``for i in range(...)`` loops around ``stmt``: integers, never arrays."""
    out = set()
    for loop in facts.loops:
        node = loop.node
        if isinstance(node, ast.For) and isinstance(node.target, ast.Name) \
                and isinstance(node.iter, ast.Call) and isinstance(node.iter.func, ast.Name) \
                and node.iter.func.id == "range" \
                and node.lineno <= stmt.lineno <= node.end_lineno:
            out.add(node.target.id)
    return out


def _distinct_indices(index: ast.expr, ints: set[str]) -> bool:
    """Integers, slices and integer arithmetic: no index can repeat. Any other name could hold
    an index array."""
    parts = index.elts if isinstance(index, ast.Tuple) else [index]
    return all(_scalar(p, ints) for p in parts)


def _scalar(expr: ast.expr, ints: set[str]) -> bool:
    if isinstance(expr, ast.Slice):
        return True
    if isinstance(expr, ast.Constant):
        return isinstance(expr.value, int) or expr.value is None or expr.value is Ellipsis
    if isinstance(expr, ast.Name):
        return expr.id in ints
    if isinstance(expr, ast.UnaryOp):
        return _scalar(expr.operand, ints)
    if isinstance(expr, ast.BinOp) and isinstance(expr.op, (ast.Add, ast.Sub, ast.Mult)):
        return _scalar(expr.left, ints) and _scalar(expr.right, ints)
    return False
