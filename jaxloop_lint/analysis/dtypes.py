"""Integer carries: a lax loop's carry keeps one dtype, a Python loop's variable does not.

``n = jnp.zeros((), jnp.int32)`` updated with ``n = n + mask[i]`` is int32 before the first step
and float32 after it when ``mask`` is float. Python does not care; ``lax.fori_loop`` / ``scan``
raise ``TypeError: ... carry input and carry output must have equal types`` at trace time. The
planner refuses such a carry unless every update provably stays integer (or bool).

Only integer carries are checked: that is where real code changes kind (counts of float masks,
``/``). Floating carries keep their dtype unless inputs of a wider float are mixed in
(a bfloat16 carry updated with float32), which fails as loudly; the docs say so.
"""
from __future__ import annotations

import ast
from typing import Optional

from .imports import ImportMap

_INT_DTYPES = {"int", "bool", "int8", "int16", "int32", "int64", "uint8", "uint16", "uint32",
               "uint64", "bool_", "int_", "uint"}
_CONSTRUCTORS = {"zeros", "ones", "full", "array", "asarray", "zeros_like", "ones_like",
                 "full_like", "empty", "empty_like"}
# Integer-valued whatever their (integer) arguments; the argument still has to be integer.
_INT_PRESERVING_CALLS = {"sum", "prod", "cumsum", "max", "min", "maximum", "minimum", "abs",
                         "where", "clip", "sign", "select", "floor_divide", "mod", "remainder",
                         "left_shift", "right_shift", "bitwise_and", "bitwise_or", "bitwise_xor",
                         "logical_and", "logical_or", "logical_not", "negative", "square"}
# Integer-valued whatever their arguments.
_INT_RESULT_CALLS = {"argmax", "argmin", "argsort", "count_nonzero", "searchsorted", "len",
                     "int", "isnan", "isinf", "isfinite", "any", "all", "equal", "not_equal",
                     "less", "less_equal", "greater", "greater_equal", "bool"}
_INT_OPS = (ast.Add, ast.Sub, ast.Mult, ast.FloorDiv, ast.Mod, ast.BitAnd, ast.BitOr,
            ast.BitXor, ast.LShift, ast.RShift)


def _dtype_name(expr: ast.expr) -> Optional[str]:
    """``jnp.int32`` / ``np.int32`` / ``int`` / ``"int32"`` -> ``int32``."""
    if isinstance(expr, ast.Constant) and isinstance(expr.value, str):
        return expr.value
    if isinstance(expr, ast.Name) and expr.id in ("int", "bool", "float", "complex"):
        return expr.id
    if isinstance(expr, ast.Attribute):
        return expr.attr
    return None


def _is_int_dtype(expr: Optional[ast.expr]) -> bool:
    return expr is not None and _dtype_name(expr) in _INT_DTYPES


def _call_name(call: ast.Call, imports: ImportMap) -> Optional[str]:
    """The last component of a jnp / np / builtin call's name, or of a method call."""
    qual = imports.qualname(call.func)
    if qual is not None:
        head = qual.rsplit(".", 1)
        if head[0] in ("jax.numpy", "numpy", "jax.lax"):
            return head[-1]
        return None
    if isinstance(call.func, ast.Name):
        return call.func.id if call.func.id in ("len", "int", "bool", "abs", "min", "max",
                                                 "sum") else None
    return None


def strong_integer_start(expr: Optional[ast.expr], imports: ImportMap) -> bool:
    """Is the carry's start value a strongly typed integer (or bool) array?

    Python numbers and ``jnp.array(0)`` are weakly typed: lax loops promote a weak carry to the
    body's result dtype, so those need no check."""
    if not isinstance(expr, ast.Call):
        return False
    name = _call_name(expr, imports)
    if name in _INT_DTYPES:  # jnp.int32(0)
        return True
    if name in _CONSTRUCTORS:
        dtype = next((k.value for k in expr.keywords if k.arg == "dtype"), None)
        if dtype is None:
            position = 2 if name in ("full", "full_like") else 1
            if len(expr.args) > position:
                dtype = expr.args[position]
        return _is_int_dtype(dtype)
    return False


def non_integer_part(expr: ast.expr, int_names: set[str],
                     imports: ImportMap) -> Optional[ast.expr]:
    """The first part of ``expr`` not known to be integer-valued (None: all of it is)."""
    if isinstance(expr, ast.Constant):
        return None if isinstance(expr.value, int) else expr
    if isinstance(expr, ast.Name):
        return None if expr.id in int_names else expr
    if isinstance(expr, ast.BinOp):
        if not isinstance(expr.op, _INT_OPS):
            return expr
        return non_integer_part(expr.left, int_names, imports) \
            or non_integer_part(expr.right, int_names, imports)
    if isinstance(expr, ast.UnaryOp):
        return None if isinstance(expr.op, ast.Not) else \
            non_integer_part(expr.operand, int_names, imports)
    if isinstance(expr, ast.Compare):
        return None
    if isinstance(expr, ast.BoolOp):
        for value in expr.values:
            bad = non_integer_part(value, int_names, imports)
            if bad is not None:
                return bad
        return None
    if isinstance(expr, ast.IfExp):
        return non_integer_part(expr.body, int_names, imports) \
            or non_integer_part(expr.orelse, int_names, imports)
    if isinstance(expr, ast.Attribute) and expr.attr in ("shape", "ndim", "size"):
        return None
    if isinstance(expr, ast.Subscript) and isinstance(expr.value, ast.Attribute) \
            and expr.value.attr == "shape":
        return None
    if isinstance(expr, ast.Call):
        if isinstance(expr.func, ast.Attribute) and expr.func.attr == "astype" and expr.args:
            return None if _is_int_dtype(expr.args[0]) else expr
        name = _call_name(expr, imports)
        if name in _INT_RESULT_CALLS or name in _INT_DTYPES:
            return None
        if name in _INT_PRESERVING_CALLS:
            args = expr.args[1:] if name == "where" else expr.args
            for arg in args:
                bad = non_integer_part(arg, int_names, imports)
                if bad is not None:
                    return bad
            return None
    return expr
