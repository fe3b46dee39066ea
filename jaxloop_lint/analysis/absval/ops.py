"""Transfer functions shared by operators and calls: promotion of operands, elementwise results,
Python scalar arithmetic, and reading Python values as dtypes, shapes and axes."""
from __future__ import annotations

import itertools
import math
from typing import Optional

from . import dtypes as dt
from . import shapes as sh
from .dtypes import Dtype, TypeTerm
from .value import (PYTHON_SCALARS, SEQUENCES, UNKNOWN, AbsVal, Kind, array, py_bool,
                    py_complex, py_float, py_int, sequence, weak_unknown)

_SCALAR_KINDS = {Kind.BOOL: "b", Kind.INT: "i", Kind.FLOAT: "f", Kind.COMPLEX: "c"}


def operand_options(v: AbsVal, x64) -> Optional[list]:
    """The promotion operands a value may be (two when its weak flag is unknown)."""
    kind = _SCALAR_KINDS.get(v.kind)
    if kind is not None:
        return [dt.python_scalar(kind, x64)]
    if v.kind is not Kind.ARRAY or v.dtype is None:
        return None
    if isinstance(v.dtype, TypeTerm):
        return [v.dtype]
    if v.weak is None:
        return [dt.concrete(v.dtype, False), dt.concrete(v.dtype, True)]
    return [dt.concrete(v.dtype, v.weak)]


def promote_values(values: list[AbsVal], x64) -> tuple[Dtype, Optional[bool]]:
    """jnp's promotion of these operands: (dtype, weak), each None where unknown."""
    options = []
    for v in values:
        ops = operand_options(v, x64)
        if ops is None:
            return None, None
        options.append(ops)
    results = {dt.promote(list(combo), x64) for combo in itertools.islice(
        itertools.product(*options), 16)}
    if len(results) == 1:
        return next(iter(results))
    dtypes = {d for d, _ in results}
    weaks = {w for _, w in results}
    return (dtypes.pop() if len(dtypes) == 1 else None), (weaks.pop() if len(weaks) == 1
                                                          else None)


def as_array(v: AbsVal, x64) -> Optional[AbsVal]:
    """The array a jnp function makes of an operand (a Python scalar becomes a weak 0-d array)."""
    if v.kind is Kind.ARRAY:
        return v
    if v.kind in PYTHON_SCALARS:
        dtype, weak, _ = dt.python_scalar(_SCALAR_KINDS[v.kind], x64)
        return array(dtype, weak if dtype != "bool" else False, ())
    return None


def elementwise(values: list[AbsVal], x64, result: str = "promote") -> AbsVal:
    """A jnp elementwise function of these operands. ``result``: ``promote`` (add, maximum,
    where's branches), ``inexact`` (divide, exp), ``numeric`` (floor_divide, mod: bools become
    ints), ``compare`` (bool, weak as the promoted operands), ``bool`` (bool, weak flag not
    modelled)."""
    arrays = [as_array(v, x64) for v in values]
    if any(a is None for a in arrays):
        return array()
    shape = sh.broadcast([a.shape for a in arrays])
    dtype, weak = promote_values(values, x64)
    if result in ("inexact", "numeric"):
        dtype, weak = dt.unary(result, dtype, weak, x64)
    elif result == "inexact_dtype":  # their own code decides the weak flag
        dtype, weak = weak_unknown(dt.unary("inexact", dtype, weak, x64)[0]), None
    elif result == "compare":
        dtype = "bool"
    elif result == "bool":
        dtype, weak = "bool", None
    return array(dtype, weak, shape)


def unary_array(v: AbsVal, op: str, x64) -> AbsVal:
    """A one-operand jnp function keeping the shape: op is ``same``, or a ``dtypes.unary`` op."""
    a = as_array(v, x64)
    if a is None:
        return array()
    if op == "same":
        return a
    dtype, weak = dt.unary(op, a.dtype, a.weak, x64)
    return array(dtype, weak, a.shape)


# -- Python scalar arithmetic --------------------------------------------------------------------
_RANK = {Kind.BOOL: 0, Kind.INT: 1, Kind.FLOAT: 2, Kind.COMPLEX: 3}
_BY_RANK = {0: Kind.BOOL, 1: Kind.INT, 2: Kind.FLOAT, 3: Kind.COMPLEX}


def make_scalar(kind: Kind, value=None) -> AbsVal:
    if kind is Kind.BOOL:
        return py_bool(value)
    if kind is Kind.INT:
        return py_int(value)
    if kind is Kind.FLOAT:
        return py_float(value)
    return py_complex(value)


def _known(v: AbsVal):
    """A Python scalar's concrete value, or None."""
    value = v.value
    if v.kind is Kind.INT:
        return value if isinstance(value, int) else None
    return value


def _cheap(op: str, x, y) -> bool:
    """Computing ``x op y`` in the analysis must stay cheap (no 2 ** 10 ** 9)."""
    if op == "**" and isinstance(y, (int, float)) and abs(y) > 64 and \
            not (isinstance(x, (int, float)) and abs(x) <= 1):
        return False
    if op in ("<<",) and isinstance(y, int) and y > 64:
        return False
    if op == "*" and isinstance(x, int) and isinstance(y, int) and \
            abs(x).bit_length() + abs(y).bit_length() > 4096:
        return False
    return True


_PY_OPS = {
    "+": lambda x, y: x + y, "-": lambda x, y: x - y, "*": lambda x, y: x * y,
    "/": lambda x, y: x / y, "//": lambda x, y: x // y, "%": lambda x, y: x % y,
    "**": lambda x, y: x ** y, "&": lambda x, y: x & y, "|": lambda x, y: x | y,
    "^": lambda x, y: x ^ y, "<<": lambda x, y: x << y, ">>": lambda x, y: x >> y,
}


def scalar_binop(op: str, a: AbsVal, b: AbsVal) -> AbsVal:
    """Python arithmetic on two Python scalars: the result stays a Python value (float64)."""
    top = max(_RANK[a.kind], _RANK[b.kind])
    x, y = _known(a), _known(b)
    if x is not None and y is not None and _cheap(op, x, y):
        try:
            value = _PY_OPS[op](x, y)
        except (ArithmeticError, ValueError, TypeError):
            return UNKNOWN  # it raises: nothing to claim
        kind = {bool: Kind.BOOL, int: Kind.INT, float: Kind.FLOAT, complex: Kind.COMPLEX}[
            type(value)]
        if kind is Kind.FLOAT and math.isnan(value):
            value = None
        return make_scalar(kind, value)
    if op in ("&", "|", "^"):
        if top == 0:
            return py_bool()
        return py_int() if top == 1 else UNKNOWN
    if op in ("<<", ">>"):
        return py_int() if top <= 1 else UNKNOWN
    if op == "/":
        return make_scalar(_BY_RANK[max(top, 2)])
    if op == "**":
        if top <= 1:
            if y is not None:
                return py_int() if y >= 0 else py_float()
            return UNKNOWN  # an int, or a float for a negative exponent
        if top == 2:
            return UNKNOWN  # (-8.0) ** (1 / 3) is complex
        return py_complex()
    if op in ("//", "%") and top == 3:
        return UNKNOWN
    kind = _BY_RANK[max(top, 1)]
    if kind is Kind.INT:
        return _int_arith(op, a, b)
    return make_scalar(kind)


def _int_arith(op: str, a: AbsVal, b: AbsVal) -> AbsVal:
    """Symbolic values and bounds of int + - * // (bools count as 0 / 1)."""
    va, vb = _int_value(a), _int_value(b)
    value = None
    if op == "+":
        value = sh.dim_add(va, vb)
    elif op == "-":
        value = sh.dim_sub(va, vb)
    elif op == "*":
        value = sh.dim_mul(va, vb)
    elif op == "//" and isinstance(vb, int) and vb > 0:
        value = sh.dim_opaque("floordiv", va, vb)
    elif op == "%" and isinstance(vb, int) and vb > 0:
        value = sh.dim_opaque("mod", va, vb)
        return py_int(value, 0, vb - 1)
    lo, hi = _bounds(op, _int_bounds(a), _int_bounds(b))
    if isinstance(value, int):
        return py_int(value)
    return py_int(value, lo, hi)


def _int_value(v: AbsVal):
    if v.kind is Kind.BOOL:
        return None if v.value is None else int(v.value)
    return v.value


def _int_bounds(v: AbsVal):
    if v.kind is Kind.BOOL:
        return (0, 1) if v.value is None else (int(v.value), int(v.value))
    return v.lo, v.hi


def _bounds(op, a, b):
    (alo, ahi), (blo, bhi) = a, b
    if op == "+":
        return (None if alo is None or blo is None else alo + blo,
                None if ahi is None or bhi is None else ahi + bhi)
    if op == "-":
        return (None if alo is None or bhi is None else alo - bhi,
                None if ahi is None or blo is None else ahi - blo)
    if op == "*" and None not in (alo, ahi, blo, bhi):
        prods = [alo * blo, alo * bhi, ahi * blo, ahi * bhi]
        return min(prods), max(prods)
    return None, None


def scalar_compare(a: AbsVal, b: AbsVal, op) -> AbsVal:
    x, y = _known(a), _known(b)
    if x is not None and y is not None:
        try:
            return py_bool(bool(op(x, y)))
        except TypeError:
            return UNKNOWN
    return py_bool()


# -- reading Python values as arguments ----------------------------------------------------------
def static_int(v: Optional[AbsVal]) -> Optional[int]:
    if v is None:
        return None
    if v.kind is Kind.INT and isinstance(v.value, int):
        return v.value
    if v.kind is Kind.BOOL and v.value is not None:
        return int(v.value)
    return None


def static_ints(v: Optional[AbsVal]) -> Optional[tuple[int, ...]]:
    """An int or a sequence of ints, as a tuple (None if not all known)."""
    if v is None:
        return None
    one = static_int(v)
    if one is not None:
        return (one,)
    if v.kind in SEQUENCES and v.items is not None:
        out = [static_int(x) for x in v.items]
        return None if None in out else tuple(out)
    return None


def axes_arg(v: Optional[AbsVal]):
    """``axis=`` as None (all axes), a tuple of ints, or False when unknown."""
    if v is None or v.kind is Kind.NONE:
        return None
    axes = static_ints(v)
    return axes if axes is not None else False


def shape_arg(v: Optional[AbsVal]) -> sh.Shape:
    """A shape argument (``5``, ``(n, d)``, ``x.shape``) as a Shape."""
    if v is None:
        return None
    if v.kind is Kind.INT:
        return (v.value,)
    if v.kind in SEQUENCES:
        if v.items is not None:
            dims = []
            for item in v.items:
                if item.kind is Kind.INT:
                    dims.append(item.value)
                elif item.kind is Kind.BOOL:
                    return None  # not a shape
                else:
                    dims.append(None)
            return tuple(dims)
        if isinstance(v.shape, sh.ShapeSym):
            return v.shape
        if isinstance(v.length, int):
            return (None,) * v.length
    return None


def dtype_arg(v: Optional[AbsVal], x64) -> tuple[bool, Dtype]:
    """A ``dtype=`` argument: (given, dtype of the arrays it makes). ``given`` is False for an
    omitted or ``None`` dtype (the function's own rule applies); the dtype may be unknown."""
    if v is None or v.kind is Kind.NONE:
        return False, None
    if v.kind is Kind.DTYPE:
        d = v.dtype
        if isinstance(d, TypeTerm):
            return True, d
        if isinstance(d, str) and d.startswith("default:"):
            return True, dt.default(d[-1], x64)
        return True, dt.canonical(d, x64)
    if v.kind is Kind.STR and isinstance(v.value, str):
        return True, dt.canonical(dt.parse_name(v.value), x64)
    return True, None


def strong_dtype(d: Dtype, x64) -> tuple[Dtype, Optional[bool]]:
    """(dtype, weak) of an array made with an explicit dtype: strongly typed."""
    if isinstance(d, TypeTerm):
        return dt.unary("strong", d, None, x64)
    return d, False


def sequence_of(kind: Kind, items) -> AbsVal:
    return sequence(kind, items)
