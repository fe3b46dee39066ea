"""Parameters' values on entry: the default evidence, kept simple and replaceable.

A traced parameter (``jax.jit`` and friends trace every argument they are given) is an array of
a fixed but unknown dtype and shape: the symbols ``dtype of x`` / ``x.shape``. Annotations add
facts (``jax.Array``; jaxtyping's ``Float[Array, "T H"]`` gives the kind and the rank). A static
parameter is a Python value whose kind comes from its annotation or its default. A parameter
with a default may be left out, and then it is the Python default, not a traced array: unknown.
Callers with better evidence (call sites, other files) pass their own values instead.
"""
from __future__ import annotations

import ast
from typing import Optional

from ..imports import ImportMap
from . import dtypes as dt
from . import shapes as sh
from .value import DICT, STR, UNKNOWN, AbsVal, Kind, array, py_bool, py_float, py_int, summary

_ARRAY_NAMES = {"Array", "ndarray", "ArrayLike", "Tensor"}
_JAXTYPING_KINDS = {
    "Float": "f", "Inexact": "fc", "Complex": "c", "Int": "iu", "Integer": "iu", "UInt": "u",
    "Bool": "b", "Num": "iufc", "Real": "iuf", "Shaped": "biufcx", "Key": "x",
}
_JAXTYPING_DTYPES = {"Float32": "float32", "Float16": "float16", "BFloat16": "bfloat16",
                     "Float64": "float64", "Int32": "int32", "Int8": "int8", "Int16": "int16",
                     "Int64": "int64", "UInt8": "uint8", "UInt32": "uint32",
                     "Complex64": "complex64"}
_SCALARS = {"int": "int", "float": "float", "bool": "bool", "str": "str"}


def param_values(fn: ast.AST, *, traced: bool = True, static: frozenset = frozenset(),
                 method: bool = False, x64: Optional[bool] = False,
                 imports: Optional[ImportMap] = None) -> dict[str, AbsVal]:
    """Values of ``fn``'s parameters on entry. ``traced``: the function runs under a tracing
    transform (its non-static parameters are traced arrays); ``static``: names of static
    parameters; ``method``: the first parameter is ``self`` (unknown). With ``imports``, a
    traced parameter the body uses as a container (``p["w"]``, ``p.items()``, an item store)
    is unknown rather than an array (the analysis' usage evidence)."""
    containers: set[str] = set()
    if traced and imports is not None and not isinstance(fn, ast.Lambda):
        from ..traced import usage_evidence
        containers = usage_evidence(fn, imports)[1]
    args = fn.args
    positional = args.posonlyargs + args.args
    defaults = [None] * (len(positional) - len(args.defaults)) + list(args.defaults)
    every = list(zip(positional, defaults)) + list(zip(args.kwonlyargs, args.kw_defaults))
    out: dict[str, AbsVal] = {}
    for i, (arg, default) in enumerate(every):
        if method and i == 0:
            out[arg.arg] = UNKNOWN
        elif arg.arg in static:
            out[arg.arg] = static_value(arg.arg, arg.annotation, default)
        elif traced and default is None:
            out[arg.arg] = UNKNOWN if arg.arg in containers else \
                traced_value(arg.arg, arg.annotation, x64)
        elif not traced:
            out[arg.arg] = annotated_value(arg.arg, arg.annotation, x64)
        else:
            out[arg.arg] = UNKNOWN
    if args.vararg is not None:
        out[args.vararg.arg] = summary(Kind.TUPLE)
    if args.kwarg is not None:
        out[args.kwarg.arg] = DICT
    return out


def static_value(name: str, annotation: Optional[ast.expr],
                 default: Optional[ast.expr]) -> AbsVal:
    """A static argument: fixed for one trace, of the kind its annotation or default shows."""
    kind = _scalar_annotation(_unquote(annotation))
    if kind is None and isinstance(default, ast.Constant) and default.value is not None:
        kind = {bool: "bool", int: "int", float: "float", str: "str"}.get(type(default.value))
    if kind == "int":
        return py_int(sh.atom_dim(("arg", name)))
    if kind == "float":
        return py_float()
    if kind == "bool":
        return py_bool()
    if kind == "str":
        return STR
    return UNKNOWN


def traced_value(name: str, annotation: Optional[ast.expr], x64) -> AbsVal:
    """A traced argument: an array; its dtype and shape are the argument's own unless the
    annotation says more. Container annotations (tuples, dicts, pytrees) give unknown."""
    annotation = _unquote(annotation)
    if annotation is not None:
        fact = _array_annotation(name, annotation, x64)
        if fact is not None:
            return fact
        if _names(annotation) - _ARRAY_NAMES - {"jax", "jnp", "np", "numpy", "typing"} \
                - set(_SCALARS):
            return UNKNOWN  # a container, a pytree, a Module: not one array
    return array(dt.arg_term(name), None, sh.arg_shape(name))


def annotated_value(name: str, annotation: Optional[ast.expr], x64) -> AbsVal:
    """A parameter of a function that is not traced: only its annotation says anything."""
    annotation = _unquote(annotation)
    if annotation is None:
        return UNKNOWN
    fact = _array_annotation(name, annotation, x64)
    if fact is not None:
        return fact
    kind = _scalar_annotation(annotation)
    if kind == "int":
        return py_int()
    return {"float": py_float(), "bool": py_bool(), "str": STR}.get(kind, UNKNOWN)


def _unquote(annotation: Optional[ast.expr]) -> Optional[ast.expr]:
    """A string annotation (``"Float[Array, 'T d']"``) as the expression it spells."""
    if isinstance(annotation, ast.Constant) and isinstance(annotation.value, str):
        try:
            return ast.parse(annotation.value, mode="eval").body
        except SyntaxError:
            return None
    return annotation


def _names(annotation: ast.expr) -> set[str]:
    return {n.id if isinstance(n, ast.Name) else n.attr for n in ast.walk(annotation)
            if isinstance(n, (ast.Name, ast.Attribute))}


def _scalar_annotation(annotation: Optional[ast.expr]) -> Optional[str]:
    if isinstance(annotation, ast.Name):
        return _SCALARS.get(annotation.id)
    return None


def _array_annotation(name: str, annotation: ast.expr, x64) -> Optional[AbsVal]:
    """``jax.Array`` / ``jnp.ndarray`` / ``Float[Array, "b h"]`` -> an array value."""
    if isinstance(annotation, (ast.Name, ast.Attribute)):
        last = annotation.id if isinstance(annotation, ast.Name) else annotation.attr
        if last in _ARRAY_NAMES - {"ArrayLike"}:
            return array(dt.arg_term(name), None, sh.arg_shape(name))
        return None
    if not (isinstance(annotation, ast.Subscript) and isinstance(annotation.slice, ast.Tuple)
            and len(annotation.slice.elts) == 2):
        return None
    head = annotation.value
    head_name = head.id if isinstance(head, ast.Name) else (
        head.attr if isinstance(head, ast.Attribute) else None)
    inner, dims = annotation.slice.elts
    inner_names = _names(inner)
    if not inner_names & (_ARRAY_NAMES - {"ArrayLike"}):
        return None
    if head_name in _JAXTYPING_DTYPES:
        dtype = dt.canonical(_JAXTYPING_DTYPES[head_name], x64)
    elif head_name in _JAXTYPING_KINDS:
        dtype = dt.arg_term(name, frozenset(_JAXTYPING_KINDS[head_name]))
        if head_name == "Bool":
            dtype = "bool"
    else:
        return None
    shape = _dims(name, dims)
    return array(dtype, None, shape)


def _dims(name: str, dims: ast.expr) -> sh.Shape:
    """jaxtyping's shape string: plain names and ints give a tuple; anything else (``...``,
    ``*batch``, ``#n``, ``_``, expressions) leaves the rank unknown."""
    if not (isinstance(dims, ast.Constant) and isinstance(dims.value, str)):
        return sh.arg_shape(name)
    tokens = dims.value.split()
    out = []
    for i, tok in enumerate(tokens):
        if tok.isdigit():
            out.append(int(tok))
        elif tok.isidentifier() and tok != "_":
            out.append(sh.atom_dim(("dim", ("arg", name), i, tok)))
        else:
            return sh.arg_shape(name)
    return tuple(out)


__all__ = ["param_values", "static_value", "traced_value", "annotated_value"]
