"""Array attributes (``.shape``, ``.T``, ``.dtype``), basic indexing, and the values of module
attributes (``jnp.float32`` is a dtype, ``jnp.pi`` a Python float)."""
from __future__ import annotations

from . import dtypes as dt
from . import shapes as sh
from .calls import CONSTANTS
from .ops import unary_array
from .value import (NONE, STR, UNKNOWN, AbsVal, Kind, array, dtype_value, py_bool, py_float,
                    py_int, shape_tuple)

_DTYPE_MODULES = ("jax.numpy.", "numpy.", "ml_dtypes.", "jax.dtypes.")


def int_dtype(d) -> bool:
    if isinstance(d, str):
        return dt.kind_of(d) in "iu"
    if isinstance(d, dt.TypeTerm):
        return d.kinds <= frozenset("iu")
    return False


def index_shape(shape: sh.Shape, parts: list[tuple]) -> sh.Shape:
    """The shape of ``x[parts]`` (basic indexing; anything else is unknown)."""
    kinds = [p[0] for p in parts]
    if any(k in ("adv", "unknown") for k in kinds) or kinds.count("ellipsis") > 1:
        return None
    if "ellipsis" not in kinds:
        while parts and parts[-1] == ("slice", None, None, None):
            parts = parts[:-1]
        kinds = [p[0] for p in parts]
    consumed = sum(1 for k in kinds if k in ("int", "slice", "slice?"))
    if isinstance(shape, tuple):
        r = len(shape)
        if consumed > r:
            return None
        if "ellipsis" in kinds:
            at = kinds.index("ellipsis")
            parts = parts[:at] + [("slice", None, None, None)] * (r - consumed) + parts[at + 1:]
        else:
            parts = parts + [("slice", None, None, None)] * (r - consumed)
        out, axis = [], 0
        for p in parts:
            if p[0] == "int":
                axis += 1
            elif p[0] == "none":
                out.append(1)
            elif p[0] == "slice":
                out.append(sh.slice_len(shape[axis], p[1], p[2], p[3]))
                axis += 1
            else:
                out.append(None)
                axis += 1
        return tuple(out)
    if isinstance(shape, sh.ShapeSym):
        if all(k == "int" for k in kinds):
            return sh.drop(shape, len(kinds))
        if kinds and all(k == "none" for k in kinds):
            return sh.prefix((1,) * len(kinds), shape)
        return sh.unary_sym("index", shape, tuple(p if p[0] != "int" else ("int",)
                                                  for p in parts))
    return None


def module_value(qual: str) -> AbsVal:
    """The value of a module attribute: a dtype object, a Python constant, or unknown."""
    if qual in CONSTANTS:
        constant = CONSTANTS[qual]
        return NONE if constant == "None" else py_float(constant)
    if qual.startswith(_DTYPE_MODULES):
        name = dt.parse_name(qual.rsplit(".", 1)[1])
        if name is not None and qual.rsplit(".", 1)[1] not in ("float", "int", "complex"):
            return dtype_value(name)
    return UNKNOWN


def attribute(base: AbsVal, attr: str, x64) -> AbsVal:
    if base.kind is Kind.ARRAY:
        if attr == "shape":
            return shape_tuple(base.shape)
        if attr == "ndim":
            r = sh.rank(base.shape)
            if r is None and isinstance(base.shape, sh.ShapeSym):
                return py_int(sh.atom_dim(("rank",) + tuple(sorted(base.shape.atoms, key=repr))),
                              lo=0)
            return py_int(r) if r is not None else py_int(lo=0)
        if attr == "size":
            return py_int(sh.size(base.shape), lo=0)
        if attr == "dtype":
            return dtype_value(base.dtype)
        if attr == "T":
            return array(base.dtype, base.weak, sh.transpose(base.shape))
        if attr == "mT":
            return array(base.dtype, base.weak, sh.swap(base.shape, -1, -2)
                         if sh.rank(base.shape) is None or sh.rank(base.shape) >= 2 else None)
        if attr in ("real", "imag"):
            return unary_array(base, "real", x64)
        if attr == "weak_type":
            return py_bool(base.weak)
        if attr in ("itemsize", "nbytes"):
            return py_int(lo=0)
        return UNKNOWN
    if base.kind is Kind.DTYPE:
        if attr == "itemsize":
            return py_int(lo=1)
        if attr in ("name", "kind", "char", "str"):
            return STR
    return UNKNOWN
