"""Masked steps and gradients. A masked scan (``break``, ``continue``, an early ``return``,
pad-and-mask) still computes the steps the original never ran, on data it never read, and
keeps the old values with ``jnp.where``. Forward values are right; the gradient of the
discarded branch is zero times its local derivative, which is NaN when that derivative is
infinite: ``log`` / ``sqrt`` / a division at zero, ``x ** 0.5`` at zero, an inverse
trigonometric function out of range.

So each such operation in a masked part gets its operand guarded: ``jnp.log(z)`` becomes
``jnp.log(jnp.where(mask, 1, z))``. In the steps that count the mask is false and nothing
changes (values nor gradients); in the masked ones the operand is harmless. An operation that
cannot be guarded in place (inside a function of the module, or of a library the analysis does
not know) refuses the rewrite.
"""
from __future__ import annotations

import ast
from typing import Optional

from .context import LoopContext
from .types import Guard, Refuse

# operations with an infinite derivative somewhere: (argument guarded, harmless value)
_SINGULAR = {
    **{n: (0, "1") for n in ("log", "log2", "log10", "sqrt", "rsqrt", "cbrt", "reciprocal",
                             "linalg.norm", "power", "float_power")},
    **{n: (0, "0") for n in ("log1p", "arcsin", "arccos", "arctanh")},
    "arccosh": (0, "2"),
    **{n: (1, "1") for n in ("divide", "true_divide", "floor_divide", "mod", "remainder",
                             "fmod", "div", "rem")},
}
# finite derivative wherever the value is finite
_TOTAL = {
    "add", "subtract", "multiply", "negative", "positive", "abs", "absolute", "maximum",
    "minimum", "where", "select", "clip", "tanh", "sin", "cos", "sinh", "cosh", "exp", "expm1",
    "exp2", "sigmoid", "relu", "relu6", "gelu", "silu", "swish", "softplus", "log_sigmoid",
    "softmax", "log_softmax", "logsumexp", "sum", "mean", "max", "min", "prod", "var", "dot",
    "matmul", "einsum", "tensordot", "inner", "outer", "vdot", "stack", "concatenate",
    "reshape", "transpose", "moveaxis", "swapaxes", "squeeze", "expand_dims", "zeros", "ones",
    "zeros_like", "ones_like", "full", "full_like", "array", "asarray", "square", "sign",
    "floor", "ceil", "round", "logical_and", "logical_or", "logical_not", "logical_xor",
    "less", "less_equal", "greater", "greater_equal", "equal", "not_equal", "isnan", "isinf",
    "isfinite", "any", "all", "argmax", "argmin", "take", "take_along_axis", "cumsum", "roll",
    "flip", "broadcast_to", "erf", "tril", "triu", "diag", "eye", "arange", "linspace",
    "float32", "float16", "bfloat16", "int32", "int8", "uint8", "bool_", "one_hot",
    "leaky_relu", "elu", "celu", "hard_tanh", "stop_gradient", "dynamic_slice",
    "dynamic_update_slice", "dynamic_slice_in_dim", "dynamic_index_in_dim", "atleast_1d",
    "ravel", "cumprod", "sort", "hypot", "heaviside", "copysign",
}
_TOTAL_METHODS = {"sum", "mean", "max", "min", "reshape", "astype", "transpose", "squeeze",
                  "ravel", "flatten", "clip", "dot", "prod", "cumsum", "set", "add", "get",
                  "multiply", "take", "repeat", "copy", "any", "all", "argmax", "argmin",
                  "round", "var", "swapaxes", "conj"}
_TOTAL_BUILTINS = {"abs", "min", "max", "sum", "len", "float", "int", "bool", "range",
                   "isinstance", "tuple", "list", "zip", "enumerate", "reversed"}
_NAMESPACES = ("jax.numpy.", "jax.nn.", "jax.lax.", "jax.random.", "jax.scipy.special.")


def guards(ctx: LoopContext, stmts: list, after_stop: bool) -> list[Guard]:
    """The guards the masked statements ``stmts`` need (``after_stop``: masked once the step's
    own stop test holds, else only once an earlier step stopped)."""
    out: list[Guard] = []
    for stmt in stmts:
        for sub in ast.walk(stmt):  # lambdas and defs of the body run in the step too
            found = _guard(ctx, sub)
            if found is not None:
                out.append(Guard(found[0], found[1], after_stop))
    return out


def check_unguarded(ctx: LoopContext, exprs: list, where: str) -> None:
    """Expressions evaluated for every outcome and picked by ``jnp.where`` afterwards (both
    return values, a ``for ... else`` value): a singular operation there cannot be guarded."""
    for expr in exprs:
        for sub in ast.walk(expr):
            if _guard(ctx, sub) is not None:
                raise Refuse(f"{where} computes `{ast.unparse(sub)}` whether or not it is "
                             "picked: its gradient could be NaN")


def _guard(ctx: LoopContext, node: ast.AST) -> Optional[tuple[ast.expr, str]]:
    if isinstance(node, ast.BinOp):
        return _operator(node.op, node.left, node.right)
    if isinstance(node, ast.AugAssign):
        return _operator(node.op, node.target, node.value)
    if not isinstance(node, ast.Call):
        return None
    func = node.func
    qual = ctx.imports.qualname(func)
    if qual is not None:
        if qual == "jax.numpy.power" and len(node.args) == 2 and _whole_power(node.args[1]):
            return None
        for prefix in _NAMESPACES:
            if qual.startswith(prefix):
                name = qual[len(prefix):]
                if name in _SINGULAR:
                    at, safe = _SINGULAR[name]
                    if len(node.args) > at:
                        return node.args[at], safe
                    break
                if name in _TOTAL or prefix == "jax.random.":
                    return None
                break
        _refuse(ast.unparse(func))
    if isinstance(func, ast.Attribute):
        if func.attr in _TOTAL_METHODS or func.attr in ("at", "T"):
            return None
    elif isinstance(func, ast.Name) and func.id in _TOTAL_BUILTINS \
            and func.id not in ctx.bound_before:
        return None
    callee = ctx.index.resolve_function(func, ctx.fn)
    if isinstance(func, ast.Lambda) or callee is not None and any(
            callee.node is n for n in ast.walk(ctx.node)):
        return None  # its operations are walked where they are written
    if callee is not None and _total_function(ctx, callee, set()):
        return None
    _refuse(ast.unparse(func))
    return None


def _operator(op, left, right) -> Optional[tuple[ast.expr, str]]:
    if isinstance(op, (ast.Div, ast.FloorDiv, ast.Mod)):
        return right, "1"
    if isinstance(op, ast.Pow) and not _whole_power(right):
        return left, "1"
    return None


def _whole_power(expr: ast.expr) -> bool:
    """A non-negative integer literal exponent: ``x ** 2`` is a polynomial."""
    return isinstance(expr, ast.Constant) and isinstance(expr.value, int) \
        and not isinstance(expr.value, bool) and expr.value >= 0


def _total_function(ctx: LoopContext, fn, seen: set) -> bool:
    """A function of the module whose operations are all total (nothing to guard inside)."""
    if fn in seen:
        return True
    seen.add(fn)
    node = fn.node
    for sub in ast.walk(node.body if isinstance(node, ast.Lambda) else ast.Module(node.body, [])):
        callee = ctx.index.resolve_function(sub.func, fn) if isinstance(sub, ast.Call) else None
        if callee is not None:
            if not _total_function(ctx, callee, seen):
                return False
            continue
        try:
            if _guard(ctx, sub) is not None:
                return False
        except Refuse:
            return False
    return True


def _refuse(shown: str) -> None:
    raise Refuse(f"the masked steps call `{shown}`, which could give inf/nan on data the "
                 "original never reached, and poison the gradient (its operands cannot be "
                 "guarded here)")
