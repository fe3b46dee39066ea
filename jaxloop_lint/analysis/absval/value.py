"""The abstract value of a name: what it is in every execution that reaches a point.

``AbsVal.kind`` says what Python object it is (a Python bool, int, ..., a JAX array, or unknown).
Every other field is either a fact true in every execution or None (unknown): arrays carry a
dtype (``dtypes.Dtype``), a weak-type flag and a shape (``shapes.Shape``); Python ints a value
(an int or a symbolic ``Lin``) and bounds; tuples and lists their items or a summary of them.
"""
from __future__ import annotations

import enum
from dataclasses import dataclass, replace
from typing import Any, Optional

from .dtypes import Dtype, TypeTerm, describe_term
from .limits import MAX_DEPTH
from .shapes import (Dim, Shape, ShapeSym, describe_dim, describe_shape, dim_eq,
                     join_shapes, same_shape)


class Kind(enum.Enum):
    BOOL = "bool"
    INT = "int"
    FLOAT = "float"
    COMPLEX = "complex"
    STR = "str"
    NONE = "None"
    LIST = "list"
    TUPLE = "tuple"
    DICT = "dict"
    ARRAY = "array"
    DTYPE = "dtype"      # a dtype object (``x.dtype``, ``jnp.float32``): ``dtype`` says which
    UNKNOWN = "unknown"


PYTHON_SCALARS = (Kind.BOOL, Kind.INT, Kind.FLOAT, Kind.COMPLEX)
SEQUENCES = (Kind.LIST, Kind.TUPLE)


@dataclass(frozen=True, slots=True)
class AbsVal:
    kind: Kind
    dtype: Dtype = None           # ARRAY: its dtype; DTYPE: the dtype it names
    weak: Optional[bool] = None   # ARRAY: JAX's weak-type flag
    shape: Shape = None           # ARRAY: its shape; TUPLE: the shape it is (``x.shape``)
    value: Any = None             # BOOL/FLOAT/COMPLEX/STR: the value; INT: a Dim
    lo: Optional[int] = None      # INT: bounds, inclusive
    hi: Optional[int] = None
    items: Optional[tuple] = None         # TUPLE/LIST: every element, in order
    elem: Optional["AbsVal"] = None       # TUPLE/LIST: the join of the elements (items unknown)
    length: Dim = None                    # TUPLE/LIST: number of elements

    def __repr__(self) -> str:
        return f"<{describe(self)}>"

    @property
    def is_array(self) -> bool:
        return self.kind is Kind.ARRAY

    def element(self) -> "AbsVal":
        """The join of a sequence's elements (UNKNOWN if nothing is known)."""
        if self.items is not None:
            return join_all(self.items) if self.items else UNKNOWN
        return self.elem if self.elem is not None else UNKNOWN


UNKNOWN = AbsVal(Kind.UNKNOWN)
NONE = AbsVal(Kind.NONE)
STR = AbsVal(Kind.STR)
DICT = AbsVal(Kind.DICT)


def py_bool(value: Optional[bool] = None) -> AbsVal:
    return AbsVal(Kind.BOOL, value=value)


def py_int(value: Dim = None, lo: Optional[int] = None, hi: Optional[int] = None) -> AbsVal:
    if isinstance(value, bool):
        value = int(value)
    if isinstance(value, int):
        lo = hi = value
    return AbsVal(Kind.INT, value=value, lo=lo, hi=hi)


def py_float(value: Optional[float] = None) -> AbsVal:
    return AbsVal(Kind.FLOAT, value=value)


def py_complex(value: Optional[complex] = None) -> AbsVal:
    return AbsVal(Kind.COMPLEX, value=value)


def py_str(value: Optional[str] = None) -> AbsVal:
    return AbsVal(Kind.STR, value=value)


def weak_unknown(dtype: Dtype) -> Dtype:
    """The dtype to keep when an operation's weak flag is not known: a symbolic type stands
    for the dtype and the weak flag together, so it must go."""
    return None if isinstance(dtype, TypeTerm) else dtype


def array(dtype: Dtype = None, weak: Optional[bool] = None, shape: Shape = None) -> AbsVal:
    return AbsVal(Kind.ARRAY, dtype=dtype, weak=weak, shape=shape)


def dtype_value(dtype: Dtype) -> AbsVal:
    return AbsVal(Kind.DTYPE, dtype=dtype)


def sequence(kind: Kind, items) -> AbsVal:
    items = tuple(items)
    if any(depth(x) >= MAX_DEPTH for x in items):
        return AbsVal(kind, length=len(items))  # ``t = (t, h)`` in a chain: items unknown
    return AbsVal(kind, items=items, length=len(items))


def depth(v: AbsVal) -> int:
    """How deeply sequences nest in ``v`` (values are built bounded, so this is cheap)."""
    if v.items is not None:
        return 1 + max((depth(x) for x in v.items), default=0)
    if v.elem is not None:
        return 1 + depth(v.elem)
    return 0


def tuple_of(*items: AbsVal) -> AbsVal:
    return sequence(Kind.TUPLE, items)


def list_of(*items: AbsVal) -> AbsVal:
    return sequence(Kind.LIST, items)


def summary(kind: Kind, elem: Optional[AbsVal] = None, length: Dim = None) -> AbsVal:
    """A sequence whose elements are not known one by one."""
    if elem is not None and depth(elem) >= MAX_DEPTH:
        elem = None
    return AbsVal(kind, elem=elem, length=length)


def shape_tuple(shape: Shape) -> AbsVal:
    """The Python tuple ``x.shape`` for an array of this shape."""
    if isinstance(shape, tuple):
        return sequence(Kind.TUPLE, (dim_int(d) for d in shape))
    return AbsVal(Kind.TUPLE, shape=shape if isinstance(shape, ShapeSym) else None,
                  elem=py_int(lo=0))


def dim_int(d: Dim) -> AbsVal:
    """A Python int that is an array dimension (so at least 0)."""
    if isinstance(d, int):
        return py_int(d)
    return py_int(d, lo=0)


# -- joins ---------------------------------------------------------------------------------------
def join(a: AbsVal, b: AbsVal, widen: bool = False) -> AbsVal:
    """The least value true of both (``widen``: bounds that moved become unbounded, so a loop's
    fixpoint is reached in a bounded number of passes)."""
    if a is b or a == b:
        return a
    if a.kind is not b.kind:
        return UNKNOWN
    kind = a.kind
    if kind is Kind.ARRAY:
        return AbsVal(kind, dtype=_same(a.dtype, b.dtype), weak=_same(a.weak, b.weak),
                      shape=join_shapes(a.shape, b.shape))
    if kind is Kind.INT:
        value = a.value if a.value == b.value else None
        if widen:
            lo = a.lo if a.lo is not None and b.lo is not None and b.lo >= a.lo else None
            hi = a.hi if a.hi is not None and b.hi is not None and b.hi <= a.hi else None
        else:
            lo = min(a.lo, b.lo) if a.lo is not None and b.lo is not None else None
            hi = max(a.hi, b.hi) if a.hi is not None and b.hi is not None else None
        return AbsVal(kind, value=value, lo=lo, hi=hi)
    if kind in SEQUENCES:
        shape = a.shape if a.shape == b.shape else None
        if a.items is not None and b.items is not None and len(a.items) == len(b.items):
            return AbsVal(kind, items=tuple(join(x, y, widen) for x, y in zip(a.items, b.items)),
                          length=len(a.items), shape=shape)
        elems = [v for v in (_summary_elem(a), _summary_elem(b)) if v is not False]
        elem = None
        if elems and all(e is not None for e in elems):
            elem = elems[0]
            for e in elems[1:]:
                elem = join(elem, e, widen)
        return AbsVal(kind, elem=elem, length=a.length if a.length == b.length else None,
                      shape=shape)
    return AbsVal(kind, dtype=_same(a.dtype, b.dtype), value=_same(a.value, b.value))


def _summary_elem(v: AbsVal):
    """The join of a sequence's elements; False for an empty one (no element to join);
    None when unknown."""
    if v.items is not None:
        if not v.items:
            return False
        return join_all(v.items)
    return v.elem


def _same(x, y):
    return x if x == y else None


def join_all(values) -> AbsVal:
    out = None
    for v in values:
        out = v if out is None else join(out, v)
    return UNKNOWN if out is None else out


def forget_contents(v: AbsVal) -> AbsVal:
    """The value after code we cannot see may have mutated it: lists and dicts (also inside
    tuples) keep their kind, and lose what they hold."""
    if v.kind is Kind.LIST:
        return AbsVal(Kind.LIST)
    if v.kind is Kind.TUPLE:
        if v.items is not None:
            items = tuple(forget_contents(x) for x in v.items)
            return v if items == v.items else replace(v, items=items)
        if v.elem is not None and \
                v.elem.kind in (Kind.LIST, Kind.TUPLE, Kind.DICT, Kind.UNKNOWN):
            return replace(v, elem=None)
    return v


def holds_mutable(v: AbsVal) -> bool:
    if v.kind is Kind.LIST:
        return v.items is not None or v.elem is not None or v.length is not None
    if v.kind is Kind.TUPLE:
        if v.items is not None:
            return any(holds_mutable(x) for x in v.items)
        return v.elem is not None and v.elem.kind in (Kind.LIST, Kind.TUPLE)
    return False


# -- comparison ----------------------------------------------------------------------------------
def same_type(a: AbsVal, b: AbsVal) -> Optional[bool]:
    """Do ``a`` and ``b`` have the same type in every execution? For arrays: dtype, weak flag and
    shape; for tuples and lists: length and each element; for Python scalars: the kind.
    True / False (never the same) / None (unknown)."""
    if a.kind is Kind.UNKNOWN or b.kind is Kind.UNKNOWN:
        return None
    if a.kind is not b.kind:
        return False
    if a.kind is Kind.ARRAY:
        return _all3([_same_dtype(a, b), _same_weak(a, b), same_shape(a.shape, b.shape)])
    if a.kind in SEQUENCES:
        if a.items is not None and b.items is not None:
            if len(a.items) != len(b.items):
                return False
            return _all3([same_type(x, y) for x, y in zip(a.items, b.items)])
        length = dim_eq(a.length, b.length)
        return False if length is False else None
    if a.kind is Kind.DICT:
        return None
    if a.kind is Kind.DTYPE:
        return True if a.dtype is not None and a.dtype == b.dtype else None
    return True


def _same_dtype(a: AbsVal, b: AbsVal) -> Optional[bool]:
    if a.dtype is None or b.dtype is None:
        return None
    if a.dtype == b.dtype:
        return True
    if isinstance(a.dtype, str) and isinstance(b.dtype, str):
        return False
    return None


def _same_weak(a: AbsVal, b: AbsVal) -> Optional[bool]:
    if isinstance(a.dtype, TypeTerm) and a.dtype == b.dtype:
        return True  # one term: one (dtype, weak) pair
    if a.weak is None or b.weak is None:
        return None
    return a.weak == b.weak


def _all3(results) -> Optional[bool]:
    out: Optional[bool] = True
    for r in results:
        if r is False:
            return False
        if r is None:
            out = None
    return out


# -- words ---------------------------------------------------------------------------------------
def describe_dtype(dtype: Dtype) -> str:
    if dtype is None:
        return "unknown dtype"
    if isinstance(dtype, TypeTerm):
        return describe_term(dtype)
    return dtype


def describe(v: AbsVal) -> str:
    """``v`` in words for a message: "a Python bool", "a float32 array of shape (T, H)"."""
    k = v.kind
    if k is Kind.ARRAY:
        weak = "weakly typed " if v.weak else ""
        if v.dtype is None:
            head = f"{weak}array of unknown dtype"
        elif isinstance(v.dtype, TypeTerm):
            head = f"{weak}array with {describe_term(v.dtype)}"
        else:
            head = f"{weak}{v.dtype} array"
        head = ("an " if head[0] in "aeiou" else "a ") + head
        if v.shape is None:
            return head + " of unknown shape"
        return head + f" of shape {describe_shape(v.shape)}"
    if k is Kind.INT:
        if v.value is not None:
            return f"a Python int ({describe_dim(v.value)})"
        if v.lo is not None or v.hi is not None:
            lo = "" if v.lo is None else f"{v.lo} <= "
            hi = "" if v.hi is None else f" <= {v.hi}"
            return f"a Python int ({lo}n{hi})"
        return "a Python int"
    if k in (Kind.BOOL, Kind.FLOAT, Kind.COMPLEX, Kind.STR):
        name = {Kind.BOOL: "bool", Kind.FLOAT: "float", Kind.COMPLEX: "complex",
                Kind.STR: "str"}[k]
        return f"a Python {name}" + (f" ({v.value!r})" if v.value is not None else "")
    if k is Kind.NONE:
        return "None"
    if k in SEQUENCES:
        name = "tuple" if k is Kind.TUPLE else "list"
        if v.items is not None:
            if not v.items:
                return f"an empty {name}"
            return f"a {name} (" + ", ".join(describe(x) for x in v.items) + ")"
        if isinstance(v.shape, ShapeSym):
            return f"the tuple {describe_shape(v.shape)}"
        out = f"a {name}"
        if v.length is not None:
            out += f" of {describe_dim(v.length)} items"
        if v.elem is not None:
            out += (", each " if v.length is not None else " whose items are each ") + \
                describe(v.elem)
        return out
    if k is Kind.DICT:
        return "a dict"
    if k is Kind.DTYPE:
        return "a dtype" if v.dtype is None else f"the dtype {describe_dtype(v.dtype)}"
    return "a value of unknown type"


INT32_MIN, INT32_MAX = -2 ** 31, 2 ** 31 - 1


def fits_int32(v: AbsVal) -> Optional[bool]:
    """Is a Python int within int32's range in every execution (False: never)?"""
    if v.kind is not Kind.INT:
        return None
    if v.lo is not None and v.hi is not None and INT32_MIN <= v.lo and v.hi <= INT32_MAX:
        return True
    if v.lo is not None and v.lo > INT32_MAX or v.hi is not None and v.hi < INT32_MIN:
        return False
    return None
