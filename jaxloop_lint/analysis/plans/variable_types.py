"""Does a write keep an nnx Variable's type? A Variable carried through a lax loop is a carry
of one fixed shape and dtype.

``v[...] = x`` keeps the Variable's shape and dtype whatever ``x`` is: flax casts and
broadcasts it (``raw.at[...].set(x)``), so the carried local is written the same way and no
proof is needed. ``v.set_value(x)`` and ``v.value = x`` replace the payload: the carry keeps its
type only if ``x`` has it, which is proven here for the common shape (the Variable's own value
and a number, ``v.value + 1``) from the dtype the Variable is built with; anything else is an
assumption for a human to check.
"""
from __future__ import annotations

import ast
from typing import Optional

from ..imports import ImportMap

_CONSTRUCTOR_DTYPE_ARG = {"zeros": 1, "ones": 1, "empty": 1, "full": 2, "array": 1,
                          "asarray": 1}
_DEFAULT_FLOAT = {"zeros", "ones", "empty"}


def variable_kind(init: Optional[ast.expr], imports: ImportMap) -> Optional[str]:
    """``"int"`` / ``"float"`` / ``"bool"`` for the array a Variable is built with
    (``Count(jnp.zeros((), jnp.int32))``), None when not known."""
    if not isinstance(init, ast.Call) or not init.args:
        return None
    value = init.args[0]
    if not isinstance(value, ast.Call):
        return None
    qual = imports.qualname(value.func) or ""
    module, _, name = qual.rpartition(".")
    if module not in ("jax.numpy", "numpy"):
        return None
    if name in _CONSTRUCTOR_DTYPE_ARG:
        at = _CONSTRUCTOR_DTYPE_ARG[name]
        dtype = value.args[at] if len(value.args) > at else next(
            (k.value for k in value.keywords if k.arg == "dtype"), None)
        if dtype is not None:
            return _dtype_kind(dtype)
        if name in _DEFAULT_FLOAT:
            return "float"
        fill = value.args[1 if name == "full" else 0] if len(value.args) > (
            1 if name == "full" else 0) else None
        return _literal_kind(fill)
    return _dtype_kind(value.func)  # jnp.float32(0.0)


def keeps_kind(kind: Optional[str], own_read, value: ast.expr,
               op: Optional[ast.operator] = None) -> bool:
    """Is ``value`` (or ``<own> op= value``) the Variable's own value combined with a number
    that keeps its dtype and shape? ``own_read(expr)`` says whether ``expr`` reads it."""
    if kind not in ("int", "float"):
        return False
    if op is not None:
        other = value
    elif isinstance(value, ast.BinOp) and own_read(value.left):
        op, other = value.op, value.right
    elif isinstance(value, ast.BinOp) and own_read(value.right) and not isinstance(
            value.op, (ast.Sub, ast.Div)):
        op, other = value.op, value.left
    else:
        return False
    literal = _literal_kind(other)
    if isinstance(op, (ast.Add, ast.Sub, ast.Mult)):
        return literal == "int" or literal == "float" == kind
    if isinstance(op, ast.Div):
        return kind == "float" and literal in ("int", "float")
    return False


def _literal_kind(expr: Optional[ast.expr]) -> Optional[str]:
    if isinstance(expr, ast.UnaryOp) and isinstance(expr.op, (ast.USub, ast.UAdd)):
        expr = expr.operand
    if isinstance(expr, ast.Constant) and not isinstance(expr.value, bool):
        if isinstance(expr.value, int):
            return "int"
        if isinstance(expr.value, float):
            return "float"
    if isinstance(expr, ast.Attribute) and expr.attr in ("inf", "nan", "pi", "e"):
        return "float"
    return None


def _dtype_kind(expr: ast.expr) -> Optional[str]:
    name = expr.value if isinstance(expr, ast.Constant) and isinstance(expr.value, str) else (
        expr.attr if isinstance(expr, ast.Attribute) else
        expr.id if isinstance(expr, ast.Name) else None)
    if name is None:
        return None
    if name.startswith(("int", "uint")) or name == "int":
        return "int"
    if name.startswith(("float", "bfloat")) or name == "float":
        return "float"
    if name in ("bool", "bool_"):
        return "bool"
    return None
