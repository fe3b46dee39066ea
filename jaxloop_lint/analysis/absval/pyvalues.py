"""What Python does with Python values: truth, iteration, ``len``, ``range`` counters and the
builtins that convert or compare numbers."""
from __future__ import annotations

import ast
from typing import Optional

from . import shapes as sh
from .ops import static_int
from .value import (PYTHON_SCALARS, SEQUENCES, STR, UNKNOWN, AbsVal, Kind, array, dim_int,
                    join_all, py_bool, py_float, py_int, py_str, summary)


def truth(v: AbsVal) -> Optional[bool]:
    """``bool(v)`` when the value fixes it."""
    k = v.kind
    if k is Kind.NONE:
        return False
    if k in (Kind.BOOL, Kind.FLOAT, Kind.COMPLEX, Kind.STR):
        return None if v.value is None else bool(v.value)
    if k is Kind.INT:
        if isinstance(v.value, int):
            return bool(v.value)
        if v.lo is not None and v.lo > 0 or v.hi is not None and v.hi < 0:
            return True
        return None
    if k in SEQUENCES:
        if v.items is not None:
            return bool(v.items)
        if isinstance(v.length, int):
            return v.length > 0
    if k is Kind.DTYPE:
        return True
    return None


def element_of(v: AbsVal) -> AbsVal:
    """What iterating ``v`` yields."""
    if v.kind is Kind.ARRAY:
        return array(v.dtype, v.weak, sh.drop(v.shape, 1))
    if v.kind in SEQUENCES:
        return v.element()
    if v.kind is Kind.STR:
        return STR
    return UNKNOWN


def length_of(v: AbsVal) -> AbsVal:
    if v.kind in SEQUENCES:
        if v.items is not None:
            return py_int(len(v.items))
        if isinstance(v.shape, sh.ShapeSym):
            return py_int(sh.atom_dim(("rank",) + tuple(sorted(v.shape.atoms, key=repr))), lo=0)
        return py_int(v.length, lo=0) if v.length is not None else py_int(lo=0)
    if v.kind is Kind.ARRAY:
        return dim_int(sh.dim_at(v.shape, 0))
    if v.kind is Kind.STR and isinstance(v.value, str):
        return py_int(len(v.value))
    return py_int(lo=0)


def range_element(vals: list[AbsVal]) -> AbsVal:
    """A ``range(...)`` loop's index: a Python int, with bounds when the arguments have them."""
    if not vals or any(v.kind not in (Kind.INT, Kind.BOOL) for v in vals):
        return py_int()
    start = vals[0] if len(vals) > 1 else py_int(0)
    stop = vals[1] if len(vals) > 1 else vals[0]
    step = static_int(vals[2]) if len(vals) > 2 else 1
    if step is None:
        return py_int()
    if step > 0:
        return py_int(lo=start.lo, hi=None if stop.hi is None else stop.hi - 1)
    return py_int(lo=None if stop.lo is None else stop.lo + 1, hi=start.hi)


def is_iteration_call(node, ev) -> bool:
    return isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and \
        node.func.id in ("range", "enumerate", "zip", "reversed") and ev.is_builtin(node.func.id)


def iteration_length(node, src: Optional[AbsVal], ev) -> sh.Dim:
    if src is not None:
        return length_of(src).value if src.kind in SEQUENCES + (Kind.ARRAY,) else None
    if node.func.id == "range" and len(node.args) == 1 and not node.keywords:
        n = ev(node.args[0])
        if n.kind is Kind.INT and isinstance(n.value, int):
            return max(n.value, 0)
    return None


def convert_builtin(name: str, v: Optional[AbsVal]) -> AbsVal:
    x = None
    if v is not None and v.kind in PYTHON_SCALARS + (Kind.STR,):
        x = v.value if v.kind is not Kind.INT or isinstance(v.value, int) else None
    if v is None:
        x = {"int": 0, "float": 0.0, "bool": False, "complex": 0j, "str": ""}[name]
    out = None
    if x is not None:
        try:
            out = {"int": int, "float": float, "bool": bool, "complex": complex, "str": str}[
                name](x)
        except (ValueError, TypeError, OverflowError):
            return UNKNOWN
    if name == "int":
        if out is None and v is not None and v.kind is Kind.INT:
            return v
        return py_int(out)
    if name == "float":
        return py_float(out if out is None or out == out else None)
    if name == "bool":
        if out is None and v is not None:
            t = truth(v)
            return py_bool(t)
        return py_bool(out)
    if name == "complex":
        return AbsVal(Kind.COMPLEX, value=out)
    return py_str(out)


def min_max(name: str, candidates: list[AbsVal]) -> AbsVal:
    if all(c.kind is Kind.INT for c in candidates):
        if all(isinstance(c.value, int) for c in candidates):
            return py_int((min if name == "min" else max)(c.value for c in candidates))
        los = [c.lo for c in candidates]
        his = [c.hi for c in candidates]
        if name == "min":
            lo = None if None in los else min(los)
            hi = min((h for h in his if h is not None), default=None)
        else:
            lo = max((x for x in los if x is not None), default=None)
            hi = None if None in his else max(his)
        return py_int(lo=lo, hi=hi)
    return join_all(candidates)


def str_method(attr: str) -> AbsVal:
    if attr in ("split", "rsplit", "splitlines"):
        return summary(Kind.LIST, STR)
    if attr.startswith("is") or attr in ("startswith", "endswith"):
        return py_bool()
    if attr in ("find", "rfind", "index", "rindex", "count"):
        return py_int()
    if attr in ("encode", "partition", "rpartition", "maketrans"):
        return UNKNOWN
    return STR
