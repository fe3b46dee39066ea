"""Results of the common jax.numpy / jax.nn / jax.random / jax.lax calls, following JAX's rules.

Each handler gets the evaluator (for the x64 setting) and the call's ``Args`` and returns an
AbsVal; a function not in the table gives UNKNOWN. Omitted arguments take the function's
defaults; an argument that may come from ``*args`` / ``**kwargs`` is unknown.
"""
from __future__ import annotations

import math
from typing import Callable, Optional

from . import dtypes as dt
from . import shapes as sh
from .ops import (as_array, axes_arg, dtype_arg, elementwise, promote_values, shape_arg,
                  static_int, static_ints, strong_dtype, unary_array)
from .value import (SEQUENCES, UNKNOWN, AbsVal, Kind, array, dtype_value, py_int,
                    weak_unknown)


class Args:
    def __init__(self, pos: list[AbsVal], kw: dict[str, AbsVal], complete: bool) -> None:
        self.pos, self.kw, self.complete = pos, kw, complete

    def get(self, index: Optional[int], name: Optional[str] = None) -> Optional[AbsVal]:
        """The argument at ``index`` or named ``name``: None when omitted, UNKNOWN when it may
        come from a ``*args`` / ``**kwargs`` we cannot read."""
        if index is not None and index < len(self.pos):
            return self.pos[index]
        if name is not None and name in self.kw:
            return self.kw[name]
        return None if self.complete else UNKNOWN


Handler = Callable[["object", Args], AbsVal]
TABLE: dict[str, Handler] = {}
NP = "jax.numpy."


def _register(names, prefix: str = NP):
    def deco(fn):
        for n in names.split():
            TABLE[prefix + n] = fn
        return fn
    return deco


# -- creation ------------------------------------------------------------------------------------
def _made(ev, a: Args, dtype_index: int, fallback) -> tuple:
    given, d = dtype_arg(a.get(dtype_index, "dtype"), ev.x64)
    if given:
        return strong_dtype(d, ev.x64)
    return fallback()


@_register("zeros ones empty")
def _zeros(ev, a):
    dtype, weak = _made(ev, a, 1, lambda: (dt.default("f", ev.x64), False))
    return array(dtype, weak, shape_arg(a.get(0, "shape")))


@_register("full")
def _full(ev, a):
    fill = a.get(1, "fill_value")
    shape = shape_arg(a.get(0, "shape"))

    def fallback():
        f = as_array(fill, ev.x64) if fill is not None else None
        return (f.dtype, f.weak) if f is not None else (None, None)
    dtype, weak = _made(ev, a, 2, fallback)
    return array(dtype, weak, shape)


@_register("zeros_like ones_like empty_like full_like")
def _like(ev, a):
    base = a.get(0, "a")
    full = ev.current == NP + "full_like"
    base_arr = as_array(base, ev.x64) if base is not None else None
    dtype, weak = _made(ev, a, 2 if full else 1,
                        lambda: (base_arr.dtype, base_arr.weak) if base_arr else (None, None))
    fill = a.get(1, "fill_value") if full else None
    scalar_fill = fill is not None and fill.kind in (Kind.INT, Kind.FLOAT, Kind.BOOL,
                                                     Kind.COMPLEX)
    if full and weak is not False and not scalar_fill:
        weak, dtype = None, weak_unknown(dtype)  # an array fill brings its own weak flag
    shape_given = a.get(3 if full else 2, "shape")
    if shape_given is not None and shape_given.kind is not Kind.NONE:
        shape = shape_arg(shape_given)
    else:
        shape = base_arr.shape if base_arr is not None else None
    return array(dtype, weak, shape)


@_register("array asarray")
def _array(ev, a):
    obj = a.get(0, "object" if ev.current.endswith(".array") else "a")
    given, d = dtype_arg(a.get(1, "dtype"), ev.x64)
    if obj is None:
        return UNKNOWN
    if a.get(None, "ndmin") not in (None,):
        return array(*(strong_dtype(d, ev.x64) if given else (None, None)))
    converted = _convert(ev, obj)
    if converted is None:
        return array(*(strong_dtype(d, ev.x64) if given else (None, None)))
    if given:
        dtype, weak = strong_dtype(d, ev.x64)
        return array(dtype, weak, converted.shape)
    return converted


def _convert(ev, obj: AbsVal) -> Optional[AbsVal]:
    """``jnp.asarray(obj)``: an array keeps its type; a Python scalar gives a weak 0-d array;
    a (nested) list or tuple gives a strongly typed array of the promoted element types."""
    if obj.kind in SEQUENCES:
        if obj.items is None:
            elem = obj.elem
            if elem is None:
                return array()
            inner = _convert(ev, elem)
            if inner is None:
                return array()
            dtype, weak = dt.unary("strong", inner.dtype, inner.weak, ev.x64) \
                if inner.dtype is not None else (None, False)
            return array(dtype, weak, sh.prefix((obj.length,), inner.shape))
        if not obj.items:
            return array(dt.default("f", ev.x64), False, (0,))
        inner = [_convert(ev, x) for x in obj.items]
        if any(i is None for i in inner):
            return array()
        dtype, _ = promote_values(inner, ev.x64)
        dtype, weak = dt.unary("strong", dtype, None, ev.x64)
        shapes = [i.shape for i in inner]
        item_shape = shapes[0] if all(s == shapes[0] for s in shapes) else None
        return array(dtype, weak, sh.prefix((len(inner),), item_shape))
    if obj.kind is Kind.BOOL:
        return array("bool", False, ())
    return as_array(obj, ev.x64)


@_register("arange")
def _arange(ev, a):
    start, stop, step = a.get(0, "start"), a.get(1, "stop"), a.get(2, "step")
    given, d = dtype_arg(a.get(3, "dtype"), ev.x64)
    bounds = [v for v in (start, stop, step) if v is not None and v.kind is not Kind.NONE]
    if given:
        dtype, weak = strong_dtype(d, ev.x64)
    elif all(v.kind in (Kind.INT, Kind.BOOL) for v in bounds):
        dtype, weak = dt.default("i", ev.x64), False
    elif all(v.kind in (Kind.INT, Kind.BOOL, Kind.FLOAT) for v in bounds):
        dtype, weak = dt.default("f", ev.x64), False
    else:
        dtype, weak = None, None
    length = None
    if stop is None or stop.kind is Kind.NONE:
        start, stop = None, start
    nums = [_number(v) for v in (start, stop, step)]
    if stop is not None and stop.kind is Kind.INT and not isinstance(stop.value, int) and \
            nums[0] in (None, 0) and start in (None,) and step is None and stop.lo is not None \
            and stop.lo >= 0:
        length = stop.value  # arange(n) with n >= 0 symbolic
    elif nums[1] is not None and (start is None or nums[0] is not None) and \
            (step is None or nums[2]):
        lo, hi, st = nums[0] or 0, nums[1], nums[2] or 1
        length = max(math.ceil((hi - lo) / st), 0)
    return array(dtype, weak, (length,))


def _number(v: Optional[AbsVal]):
    if v is None or v.kind not in (Kind.INT, Kind.FLOAT, Kind.BOOL):
        return None
    if v.kind is Kind.INT and not isinstance(v.value, int):
        return None
    return v.value


@_register("linspace")
def _linspace(ev, a):
    if a.get(4, "retstep") not in (None,):
        return UNKNOWN
    num = a.get(2, "num")
    count = 50 if num is None else (num.value if num.kind is Kind.INT else None)
    given, d = dtype_arg(a.get(5, "dtype"), ev.x64)
    dtype, weak = strong_dtype(d, ev.x64) if given else (None, None)
    if not given:
        ends = [v for v in (a.get(0, "start"), a.get(1, "stop")) if v is not None]
        if all(v.kind in (Kind.INT, Kind.FLOAT, Kind.BOOL) for v in ends):
            dtype, weak = dt.default("f", ev.x64), False
    axis = a.get(6, "axis")
    if axis is not None and static_int(axis) != 0:
        return array(dtype, weak)
    if any(v.kind is Kind.ARRAY for v in (a.get(0, "start"), a.get(1, "stop"))
           if v is not None):
        return array(dtype, weak)
    return array(dtype, weak, (count,))


@_register("eye")
def _eye(ev, a):
    n, m = a.get(0, "N"), a.get(1, "M")
    rows = n.value if n is not None and n.kind is Kind.INT else None
    cols = rows if m is None or m.kind is Kind.NONE else (
        m.value if m.kind is Kind.INT else None)
    dtype, weak = _made(ev, a, 3, lambda: (dt.default("f", ev.x64), False))
    return array(dtype, weak, (rows, cols))


@_register("identity")
def _identity(ev, a):
    n = a.get(0, "n")
    rows = n.value if n is not None and n.kind is Kind.INT else None
    dtype, weak = _made(ev, a, 1, lambda: (dt.default("f", ev.x64), False))
    return array(dtype, weak, (rows, rows))


def _dtype_constructor(name: str) -> Handler:
    def handler(ev, a):
        x = a.get(0, "x")
        if x is None:
            return UNKNOWN
        arr = _convert(ev, x)
        return array(dt.canonical(name, ev.x64), False, arr.shape if arr is not None else None)
    return handler


for _name in ("bool bool_ int8 int16 int32 int64 uint8 uint16 uint32 uint64 float16 bfloat16 "
              "float32 float64 complex64 complex128").split():
    TABLE[NP + _name] = _dtype_constructor(dt.parse_name(_name))


@_register("dtype")
def _dtype_call(ev, a):
    v = a.get(0, "obj")
    if v is not None and v.kind is Kind.STR and isinstance(v.value, str):
        return dtype_value(dt.parse_name(v.value))
    if v is not None and v.kind is Kind.DTYPE:
        return v
    return AbsVal(Kind.DTYPE)


# -- elementwise ---------------------------------------------------------------------------------
def _binary(result: str) -> Handler:
    def handler(ev, a):
        x, y = a.get(0, "x1"), a.get(1, "x2")
        if x is None or y is None:
            return UNKNOWN
        return elementwise([x, y], ev.x64, result)
    return handler


for _names, _result in (
        ("add subtract multiply maximum minimum fmax fmin bitwise_and bitwise_or bitwise_xor",
         "promote"),
        ("mod remainder floor_divide fmod left_shift right_shift", "numeric"),
        ("divide true_divide", "inexact"),
        ("arctan2 hypot logaddexp logaddexp2", "inexact_dtype"),
        ("equal not_equal less less_equal greater greater_equal", "compare"),
        ("logical_and logical_or logical_xor", "bool")):
    for _n in _names.split():
        TABLE[NP + _n] = _binary(_result)


@_register("power pow")
def _power(ev, a):
    x, y = a.get(0, "x1"), a.get(1, "x2")
    if x is None or y is None:
        return UNKNOWN
    return power(ev, x, y)


def power(ev, x: AbsVal, y: AbsVal) -> AbsVal:
    """``x ** y`` on arrays. A static non-negative int exponent keeps ``x``'s type. An exponent
    *array* of ints takes one of two paths: a concrete one (eager) keeps ``x``'s type, a traced
    one promotes; only what both give is known (a strong float ``x`` keeps its type; two weak
    operands stay weak). Otherwise the operands promote (bools become ints)."""
    if y.kind is Kind.INT and isinstance(y.value, int) and y.value >= 0 and \
            x.kind is Kind.ARRAY:
        return x if x.dtype != "bool" else array(None, None, x.shape)
    out = elementwise([x, y], ev.x64, "numeric")
    if y.kind is Kind.FLOAT or y.kind is Kind.ARRAY and isinstance(y.dtype, str) and \
            dt.kind_of(y.dtype) in "fc":
        return out
    xa = as_array(x, ev.x64)
    int_exponent = y.kind is Kind.ARRAY and isinstance(y.dtype, str) and \
        dt.kind_of(y.dtype) in "biu"
    if int_exponent and xa is not None:
        if xa.weak is False and isinstance(xa.dtype, str) and dt.kind_of(xa.dtype) in "fc":
            return array(xa.dtype, False, out.shape)
        if xa.weak and y.weak and out.weak:
            return out
    return array(None, None, out.shape)


def _unary(op: str) -> Handler:
    def handler(ev, a):
        x = a.get(0, "x")
        if x is None:
            return UNKNOWN
        if op == "float_only" and (len(a.pos) > 1 or a.kw or not a.complete):
            return array()  # alpha=, approximate=, negative_slope=: not modelled
        return unary_array(x, op, ev.x64)
    return handler


for _names, _op in (
        ("log2 log10", "mean"),  # inexact, and strongly typed even for weak operands
        ("exp exp2 expm1 log log1p sqrt cbrt sin cos tan arcsin arccos arctan sinh "
         "cosh tanh arcsinh arccosh arctanh deg2rad rad2deg radians degrees reciprocal sinc",
         "inexact"),
        ("negative positive floor ceil round trunc conj conjugate", "same"),
        ("square", "numeric"),
        ("abs absolute real imag", "real")):
    for _n in _names.split():
        TABLE[NP + _n] = _unary(_op)


@_register("isnan isinf isfinite signbit logical_not")
def _predicate(ev, a):
    x = a.get(0, "x")
    arr = as_array(x, ev.x64) if x is not None else None
    return array("bool", None, arr.shape if arr is not None else None)


@_register("where")
def _where(ev, a):
    c, x, y = a.get(0, "condition"), a.get(1, "x"), a.get(2, "y")
    if x is None and y is None:
        return UNKNOWN  # one-argument where: a tuple of index arrays
    if c is None or x is None or y is None:
        return UNKNOWN
    out = elementwise([x, y], ev.x64, "promote")
    cond = as_array(c, ev.x64)
    shape = sh.broadcast([cond.shape, out.shape]) if cond is not None else None
    return array(out.dtype, out.weak, shape)


@_register("clip")
def _clip(ev, a):
    x = a.get(0, "arr") or a.get(None, "a") or a.get(None, "x")
    lo = a.get(1, "min") or a.get(None, "a_min")
    hi = a.get(2, "max") or a.get(None, "a_max")
    if x is None:
        return UNKNOWN
    parts = [v for v in (x, lo, hi) if v is not None and v.kind is not Kind.NONE]
    return elementwise(parts, ev.x64, "promote")


# -- reductions ----------------------------------------------------------------------------------
_REDUCTION_KWARGS = {"axis", "keepdims", "dtype", "where", "ddof", "correction", "out"}


def _reduction(op: str) -> Handler:
    """sum-like (``op`` a dtypes.unary op, or ``bool`` / ``index`` for any / argmax)."""
    def handler(ev, a):
        x = a.get(0, "a")
        arr = as_array(x, ev.x64) if x is not None else None
        if arr is None:
            return UNKNOWN if x is None else array()
        if len(a.pos) > 2 or not a.complete or set(a.kw) - _REDUCTION_KWARGS:
            return array()  # dtype / out / keepdims passed by position, or initial=...
        axes = axes_arg(a.get(1, "axis"))
        kd = a.get(None, "keepdims")
        keepdims = kd is not None and kd.kind is Kind.BOOL and kd.value
        if kd is not None and not (kd.kind is Kind.BOOL and kd.value is not None):
            shape = None
        else:
            shape = sh.reduce(arr.shape, axes, keepdims) if axes is not False else None
        if op == "index" and axes is not None and axes is not False and len(axes) != 1:
            shape = None
        given, d = dtype_arg(a.get(None, "dtype") if op != "index" else None, ev.x64)
        if given:
            dtype, weak = strong_dtype(d, ev.x64)
        elif op == "bool":
            dtype, weak = "bool", False
        elif op == "index":
            dtype, weak = dt.default("i", ev.x64), False
        else:
            dtype, weak = dt.unary(op, arr.dtype, arr.weak, ev.x64)
        return array(dtype, weak, shape)
    return handler


for _names, _op in (("sum prod nansum nanprod", "sum"),
                    ("max min amax amin nanmax nanmin", "strong"),
                    ("mean nanmean median nanmedian", "mean"),
                    ("var std nanvar nanstd", "var"),
                    ("any all", "bool"), ("argmax argmin nanargmax nanargmin", "index")):
    for _n in _names.split():
        TABLE[NP + _n] = _reduction(_op)
TABLE["jax.nn.logsumexp"] = TABLE["jax.scipy.special.logsumexp"] = _reduction("mean")


@_register("cumsum cumprod nancumsum nancumprod")
def _cumulative(ev, a):
    x = a.get(0, "a")
    arr = as_array(x, ev.x64) if x is not None else None
    if arr is None:
        return UNKNOWN if x is None else array()
    axis = a.get(1, "axis")
    if axis is None or axis.kind is Kind.NONE:
        shape = (sh.size(arr.shape),)
    else:
        shape = arr.shape if static_int(axis) is not None else None
    given, d = dtype_arg(a.get(2, "dtype"), ev.x64)
    if given:
        dtype, weak = strong_dtype(d, ev.x64)
    else:
        dtype, weak = dt.unary("cumsum", arr.dtype, arr.weak, ev.x64)
    return array(dtype, weak, shape)


# -- shapes --------------------------------------------------------------------------------------
def same_type(arr: AbsVal, shape: sh.Shape) -> AbsVal:
    return array(arr.dtype, arr.weak, shape)


def _arr0(ev, a, name="a") -> Optional[AbsVal]:
    x = a.get(0, name)
    return as_array(x, ev.x64) if x is not None else None


@_register("reshape")
def _reshape(ev, a):
    arr = _arr0(ev, a)
    if arr is None:
        return array()
    target = a.get(1, "shape") or a.get(None, "newshape")
    return same_type(arr, sh.reshape(arr.shape, shape_arg(target)))


@_register("ravel")
def _ravel(ev, a):
    arr = _arr0(ev, a)
    return array() if arr is None else same_type(arr, (sh.size(arr.shape),))


@_register("transpose permute_dims")
def _transpose(ev, a):
    arr = _arr0(ev, a)
    if arr is None:
        return array()
    axes = a.get(1, "axes")
    if axes is None or axes.kind is Kind.NONE:
        return same_type(arr, sh.transpose(arr.shape))
    return same_type(arr, sh.transpose(arr.shape, static_ints(axes)) if static_ints(axes)
                     else None)


@_register("swapaxes")
def _swapaxes(ev, a):
    arr = _arr0(ev, a)
    if arr is None:
        return array()
    i, j = static_int(a.get(1, "axis1")), static_int(a.get(2, "axis2"))
    return same_type(arr, sh.swap(arr.shape, i, j) if i is not None and j is not None else None)


@_register("squeeze")
def _squeeze(ev, a):
    arr = _arr0(ev, a)
    if arr is None:
        return array()
    axes = axes_arg(a.get(1, "axis"))
    shape = arr.shape
    if isinstance(shape, tuple):
        if axes is None:
            if all(isinstance(d, int) for d in shape):
                return same_type(arr, tuple(d for d in shape if d != 1))
            return same_type(arr, None)
        norm = sh.normalize_axes(axes, len(shape)) if axes is not False else None
        if norm is not None:
            return same_type(arr, tuple(d for i, d in enumerate(shape) if i not in norm))
    return same_type(arr, None)


@_register("expand_dims")
def _expand_dims(ev, a):
    arr = _arr0(ev, a)
    if arr is None:
        return array()
    axes = static_ints(a.get(1, "axis"))
    shape = arr.shape
    if isinstance(shape, tuple) and axes is not None:
        n = len(shape) + len(axes)
        norm = sh.normalize_axes(axes, n)
        if norm is not None and len(norm) == len(axes):
            dims = iter(shape)
            return same_type(arr, tuple(1 if i in norm else next(dims) for i in range(n)))
    if axes == (0,):
        return same_type(arr, sh.prefix((1,), shape))
    return same_type(arr, None)


@_register("flip fliplr flipud roll sort tril triu")
def _same_shape(ev, a):
    arr = _arr0(ev, a) or _arr0(ev, a, "m")
    return array() if arr is None else arr


@_register("argsort")
def _argsort(ev, a):
    arr = _arr0(ev, a)
    return array(dt.default("i", ev.x64), False, arr.shape if arr else None)


@_register("broadcast_to")
def _broadcast_to(ev, a):
    arr = _arr0(ev, a, "array")
    shape = shape_arg(a.get(1, "shape"))
    return array(arr.dtype if arr else None, arr.weak if arr else None, shape)


def _sequence_arrays(ev, v: Optional[AbsVal]):
    """The arrays of ``jnp.stack(v)``'s argument: (list of arrays or None, count)."""
    if v is None or v.kind not in SEQUENCES:
        return None, None
    if v.items is not None:
        arrays = [as_array(x, ev.x64) for x in v.items]
        return (None if any(x is None for x in arrays) else arrays), len(v.items)
    if v.elem is not None:
        one = as_array(v.elem, ev.x64)
        return ([one] if one is not None else None), v.length
    return None, v.length


@_register("stack")
def _stack(ev, a):
    arrays, count = _sequence_arrays(ev, a.get(0, "arrays"))
    if not arrays:
        return array()
    axis = static_int(a.get(1, "axis")) if a.get(1, "axis") is not None else 0
    given, d = dtype_arg(a.get(3, "dtype"), ev.x64)
    dtype, weak = strong_dtype(d, ev.x64) if given else promote_values(arrays, ev.x64)
    shapes = [x.shape for x in arrays]
    item = shapes[0] if all(s == shapes[0] for s in shapes) else _common_tuple(shapes)
    return array(dtype, weak, sh.stack(item, count, axis) if axis is not None else None)


def _common_tuple(shapes):
    """stack raises unless all shapes agree: the first with a known rank, dims filled in."""
    tuples = [s for s in shapes if isinstance(s, tuple)]
    if not tuples or any(len(t) != len(tuples[0]) for t in tuples):
        return None
    return tuple(next((t[i] for t in tuples if t[i] is not None), None)
                 for i in range(len(tuples[0])))


@_register("concatenate concat")
def _concatenate(ev, a):
    v = a.get(0, "arrays")
    arrays, _ = _sequence_arrays(ev, v)
    if not arrays:
        return array()
    axis_v = a.get(1, "axis")
    axis = 0 if axis_v is None else static_int(axis_v)
    given, d = dtype_arg(a.get(2, "dtype"), ev.x64)
    dtype, weak = strong_dtype(d, ev.x64) if given else promote_values(arrays, ev.x64)
    if v.items is None or axis is None:
        return array(dtype, weak)
    return array(dtype, weak, sh.concat([x.shape for x in arrays], axis))


@_register("pad")
def _pad(ev, a):
    arr = _arr0(ev, a, "array")
    if arr is None:
        return array()
    mode = a.get(2, "mode")
    if mode is not None and not (mode.kind is Kind.STR and mode.value is not None):
        return same_type(arr, None)
    return same_type(arr, sh.pad(arr.shape, _pad_widths(a.get(1, "pad_width"))))


def _pad_widths(v: Optional[AbsVal]):
    """``2``, ``(1, 2)``, ``((1, 2), (0, 0))`` -> a list of (before, after) pairs."""
    if v is None:
        return None
    if v.kind is Kind.INT:
        return [(v.value, v.value)]
    if v.kind not in SEQUENCES or v.items is None:
        return None
    items = v.items
    if all(x.kind is Kind.INT for x in items):
        if len(items) == 1:
            return [(items[0].value, items[0].value)]
        if len(items) == 2:
            return [(items[0].value, items[1].value)]
        return None
    out = []
    for pair in items:
        if pair.kind is Kind.INT:
            out.append((pair.value, pair.value))
        elif pair.kind in SEQUENCES and pair.items is not None and len(pair.items) in (1, 2) \
                and all(x.kind is Kind.INT for x in pair.items):
            out.append((pair.items[0].value, pair.items[-1].value))
        else:
            return None
    return out


def _product(ev, x: Optional[AbsVal], y: Optional[AbsVal], shape_of) -> AbsVal:
    """matmul / dot / outer: the operands promote; ``shape_of`` combines their shapes."""
    xa = as_array(x, ev.x64) if x is not None else None
    ya = as_array(y, ev.x64) if y is not None else None
    if xa is None or ya is None:
        return array()
    dtype, weak = promote_values([xa, ya], ev.x64)
    return array(dtype, weak, shape_of(xa.shape, ya.shape))


def matmul(ev, x: AbsVal, y: AbsVal) -> AbsVal:
    return _product(ev, x, y, sh.matmul)


@_register("matmul")
def _matmul(ev, a):
    if a.get(None, "preferred_element_type") is not None:
        return array()
    return _product(ev, a.get(0, "a"), a.get(1, "b"), sh.matmul)


@_register("dot")
def _dot(ev, a):
    if a.get(None, "preferred_element_type") is not None:
        return array()
    return _product(ev, a.get(0, "a"), a.get(1, "b"), sh.dot)


@_register("outer")
def _outer(ev, a):
    return _product(ev, a.get(0, "a"), a.get(1, "b"),
                    lambda p, q: (sh.size(p), sh.size(q)))


@_register("einsum")
def _einsum(ev, a):
    operands = [as_array(v, ev.x64) for v in a.pos[1:]]
    if not a.complete or any(o is None for o in operands) or not operands or \
            a.get(None, "preferred_element_type") is not None:
        return array()
    dtype, weak = promote_values(operands, ev.x64)
    if weak is not False:
        dtype, weak = weak_unknown(dtype), None
    return array(dtype, weak)


@_register("shape")
def _shape_fn(ev, a):
    from .value import shape_tuple
    arr = _arr0(ev, a)
    return shape_tuple(arr.shape) if arr is not None else UNKNOWN


@_register("ndim")
def _ndim_fn(ev, a):
    arr = _arr0(ev, a)
    n = sh.rank(arr.shape) if arr is not None else None
    return py_int(n) if n is not None else py_int(lo=0)


@_register("size")
def _size_fn(ev, a):
    arr = _arr0(ev, a)
    if arr is None or a.get(1, "axis") is not None:
        return py_int(lo=0)
    return py_int(sh.size(arr.shape), lo=0)


@_register("linalg.norm")
def _norm(ev, a):
    arr = _arr0(ev, a, "x")
    if arr is None or a.get(1, "ord") is not None or a.get(2, "axis") is not None:
        return array()
    d = arr.dtype
    if isinstance(d, str) and dt.kind_of(d) in "biuf":
        return array(*dt.unary("mean", d, arr.weak, ev.x64), ())
    if isinstance(d, dt.TypeTerm) and d.kinds <= frozenset("f"):
        return array(*dt.unary("strong", d, None, ev.x64), ())
    return array(None, None, ())


# -- jax.nn --------------------------------------------------------------------------------------
# Activations written with Python float constants inside: a float operand keeps its type;
# what other operands become depends on each one's code (not modelled).
for _n in ("sigmoid silu swish gelu elu celu selu softplus leaky_relu log_sigmoid soft_sign "
           "mish squareplus sparse_plus").split():
    TABLE["jax.nn." + _n] = _unary("float_only")
TABLE["jax.nn.tanh"] = TABLE[NP + "tanh"]


@_register("relu", "jax.nn.")
def _relu(ev, a):
    x = a.get(0, "x")
    return UNKNOWN if x is None else elementwise([x, py_int(0)], ev.x64, "promote")


@_register("softmax log_softmax", "jax.nn.")
def _softmax(ev, a):
    arr = _arr0(ev, a, "x")
    if arr is None:
        return array()
    return array(*dt.unary("mean", arr.dtype, arr.weak, ev.x64), arr.shape)


@_register("one_hot", "jax.nn.")
def _one_hot(ev, a):
    x = _arr0(ev, a, "x")
    n = a.get(1, "num_classes")
    given, d = dtype_arg(a.get(None, "dtype"), ev.x64)
    dtype, weak = strong_dtype(d, ev.x64) if given else (dt.default("f", ev.x64), False)
    axis = a.get(None, "axis")
    if x is None or n is None or n.kind is not Kind.INT or (
            axis is not None and static_int(axis) != -1):
        return array(dtype, weak)
    shape = x.shape + (n.value,) if isinstance(x.shape, tuple) else None
    return array(dtype, weak, shape)


# -- jax.random ----------------------------------------------------------------------------------
R = "jax.random."


@_register("PRNGKey", R)
def _prng_key(ev, a):
    if a.get(1, "impl") is not None:
        return array()
    return array("uint32", False, (None,))  # (2,) for threefry, (4,) for rbg: the default impl


@_register("key", R)
def _key(ev, a):
    if a.get(1, "impl") is not None:
        return array(None, None, ())
    return array("key<default>", False, ())


@_register("split", R)
def _split(ev, a):
    key = a.get(0, "key")
    if key is None or key.kind is not Kind.ARRAY:
        return array()
    num = a.get(1, "num")
    if num is None:
        dims: sh.Shape = (2,)
    else:
        dims = shape_arg(num)
    if dims is None or isinstance(dims, sh.ShapeSym):
        return array(key.dtype, key.weak)
    return array(key.dtype, key.weak, sh.prefix(dims, key.shape))


@_register("fold_in clone", R)
def _fold_in(ev, a):
    key = a.get(0, "key")
    return key if key is not None and key.kind is Kind.ARRAY else array()


def _sampler(shape_index: int, dtype_index: int, kind: str, shape_name: str = "shape") -> Handler:
    def handler(ev, a):
        given, d = dtype_arg(a.get(dtype_index, "dtype"), ev.x64)
        dtype, weak = strong_dtype(d, ev.x64) if given else (dt.default(kind, ev.x64), False)
        shape_v = a.get(shape_index, shape_name)
        shape = () if shape_v is None or shape_v.kind is Kind.NONE else shape_arg(shape_v)
        if shape_v is None and not a.complete:
            shape = None
        return array(dtype, weak, shape)
    return handler


for _n in "normal uniform gumbel laplace logistic cauchy exponential".split():
    TABLE[R + _n] = _sampler(1, 2, "f")
TABLE[R + "randint"] = _sampler(1, 4, "i")


@_register("bernoulli", R)
def _bernoulli(ev, a):
    p = a.get(1, "p")
    shape_v = a.get(2, "shape")
    if shape_v is None or shape_v.kind is Kind.NONE:
        if p is None:
            shape = () if a.complete else None
        else:
            pa = as_array(p, ev.x64)
            shape = pa.shape if pa is not None else None
    else:
        shape = shape_arg(shape_v)
    return array("bool", False, shape)


@_register("categorical", R)
def _categorical(ev, a):
    logits = _arr0_at(ev, a, 1, "logits")
    shape_v = a.get(3, "shape")
    axis = a.get(2, "axis")
    shape = None
    if (shape_v is None or shape_v.kind is Kind.NONE) and logits is not None:
        ax = -1 if axis is None else static_int(axis)
        if ax is not None:
            shape = sh.reduce(logits.shape, (ax,), False)
    elif shape_v is not None:
        shape = shape_arg(shape_v)
    return array(dt.default("i", ev.x64), False, shape)


def _arr0_at(ev, a, i, name):
    v = a.get(i, name)
    return as_array(v, ev.x64) if v is not None else None


@_register("permutation", R)
def _permutation(ev, a):
    x = a.get(1, "x")
    if x is not None and x.kind is Kind.INT:
        return array(dt.default("i", ev.x64), False, (x.value,))
    if x is not None and x.kind is Kind.ARRAY and a.get(2, "axis") is None:
        return x
    return array()


# -- jax.lax -------------------------------------------------------------------------------------
L = "jax.lax."


def lax_binary(ev, x: AbsVal, y: AbsVal) -> AbsVal:
    """lax's binary ops do not promote: equal dtypes, or a Python scalar taking the other's."""
    xa, ya = as_array(x, ev.x64), as_array(y, ev.x64)
    if xa is None or ya is None:
        return array()
    shape = sh.broadcast([xa.shape, ya.shape])
    if x.kind is not Kind.ARRAY and y.kind is Kind.ARRAY:
        return array(ya.dtype, ya.weak, shape)
    if y.kind is not Kind.ARRAY and x.kind is Kind.ARRAY:
        return array(xa.dtype, xa.weak, shape)
    if xa.dtype is not None and xa.dtype == ya.dtype:
        weak = None if None in (xa.weak, ya.weak) else (xa.weak and ya.weak)
        if isinstance(xa.dtype, dt.TypeTerm):
            weak = None
        return array(xa.dtype, weak, shape)
    return array(None, None, shape)


@_register("add sub mul div rem max min pow atan2 nextafter", L)
def _lax_binary(ev, a):
    x, y = a.get(0, "x"), a.get(1, "y")
    return UNKNOWN if x is None or y is None else lax_binary(ev, x, y)


@_register("exp exp2 log log1p expm1 tanh tan sin cos sqrt rsqrt cbrt abs neg sign floor ceil "
           "round logistic square stop_gradient erf erfc erf_inv lgamma digamma asin acos atan "
           "sinh cosh asinh acosh atanh reduce_precision integer_pow", L)
def _lax_unary(ev, a):
    x = a.get(0, "x")
    arr = as_array(x, ev.x64) if x is not None else None
    if arr is None:
        return array()
    if x.kind is not Kind.ARRAY:
        return array(None, None, ())
    if ev.current == L + "abs":
        return unary_array(arr, "real", ev.x64)
    return arr


@_register("stop_gradient", "jax.")
def _jax_stop_gradient(ev, a):
    x = a.get(0, "x")
    return x if x is not None and x.kind is Kind.ARRAY else UNKNOWN


@_register("select", L)
def _lax_select(ev, a):
    x = a.get(1, "on_true")
    return x if x is not None and x.kind is Kind.ARRAY else array()


@_register("clamp", L)
def _lax_clamp(ev, a):
    x = a.get(1, "x")
    return x if x is not None and x.kind is Kind.ARRAY else array()


@_register("convert_element_type", L)
def _lax_convert(ev, a):
    x = _arr0(ev, a, "operand")
    given, d = dtype_arg(a.get(1, "new_dtype"), ev.x64)
    dtype, weak = strong_dtype(d, ev.x64) if given else (None, None)
    return array(dtype, weak, x.shape if x is not None else None)


@_register("dynamic_slice", L)
def _lax_dynamic_slice(ev, a):
    x = _arr0(ev, a, "operand")
    sizes = shape_arg(a.get(2, "slice_sizes"))
    return array(x.dtype, x.weak, sizes) if x is not None else array(None, None, sizes)


@_register("dynamic_update_slice dynamic_update_index_in_dim dynamic_update_slice_in_dim", L)
def _lax_update(ev, a):
    x = a.get(0, "operand")
    return x if x is not None and x.kind is Kind.ARRAY else array()


@_register("dynamic_index_in_dim", L)
def _lax_index_in_dim(ev, a):
    x = _arr0(ev, a, "operand")
    if x is None:
        return array()
    axis = a.get(2, "axis")
    ax = 0 if axis is None else static_int(axis)
    kd = a.get(3, "keepdims")
    keep = True if kd is None else (kd.value if kd.kind is Kind.BOOL else None)
    if ax is None or keep is None or not isinstance(x.shape, tuple):
        if ax == 0 and keep is False:
            return same_type(x, sh.drop(x.shape, 1))
        return same_type(x, None)
    n = len(x.shape)
    if not -n <= ax < n:
        return same_type(x, None)
    ax %= n
    dims = list(x.shape)
    if keep:
        dims[ax] = 1
    else:
        del dims[ax]
    return same_type(x, tuple(dims))


@_register("dynamic_slice_in_dim", L)
def _lax_slice_in_dim(ev, a):
    x = _arr0(ev, a, "operand")
    if x is None:
        return array()
    size = a.get(2, "slice_size")
    axis = a.get(3, "axis")
    ax = 0 if axis is None else static_int(axis)
    if ax is None or not isinstance(x.shape, tuple) or size is None or size.kind is not Kind.INT:
        return same_type(x, None)
    n = len(x.shape)
    if not -n <= ax < n:
        return same_type(x, None)
    dims = list(x.shape)
    dims[ax % n] = size.value
    return same_type(x, tuple(dims))


@_register("iota", L)
def _lax_iota(ev, a):
    given, d = dtype_arg(a.get(0, "dtype"), ev.x64)
    n = a.get(1, "size")
    dtype, weak = strong_dtype(d, ev.x64) if given else (None, None)
    return array(dtype, weak, (n.value,) if n is not None and n.kind is Kind.INT else None)


# Python values of these module attributes.
CONSTANTS = {f"{m}.{n}": v for m in ("jax.numpy", "numpy", "math")
             for n, v in (("pi", math.pi), ("e", math.e), ("inf", math.inf), ("nan", None),
                          ("euler_gamma", 0.5772156649015329), ("tau", math.tau))}
CONSTANTS.update({"jax.numpy.newaxis": "None", "numpy.newaxis": "None"})
