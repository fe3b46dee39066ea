"""The abstract evaluator: the value of an expression given the values of names.

Follows Python's rules for Python values (ints stay unbounded, floats are float64, ``and``
returns an operand) and JAX's for arrays (see dtypes.py and calls.py). Mutation is tracked for
the only mutable values it models, lists: a mutation through one name forgets what the other
names' lists hold (they may be the same list), and a call it cannot see forgets all of them.
"""
from __future__ import annotations

import ast
import builtins
import operator
from dataclasses import replace
from typing import Callable, Optional

from ..imports import ImportMap
from ..walk import walk
from . import dtypes as dt
from . import shapes as sh
from .arrays import int_dtype, attribute, index_shape, module_value
from .calls import TABLE, Args, matmul, power
from .ops import (elementwise, scalar_binop, scalar_compare, shape_arg, static_int,
                  unary_array)
from .pyvalues import (convert_builtin, is_iteration_call, iteration_length, min_max,
                       str_method, element_of, length_of, range_element, truth)
from .value import (DICT, NONE, PYTHON_SCALARS, SEQUENCES, STR, UNKNOWN, AbsVal, Kind, array,
                    dim_int, dtype_value, forget_contents, holds_mutable, join, join_all,
                    py_bool, py_float, py_int, py_str, sequence, shape_tuple, summary)

_BINOPS = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/", ast.FloorDiv: "//",
           ast.Mod: "%", ast.Pow: "**", ast.BitAnd: "&", ast.BitOr: "|", ast.BitXor: "^",
           ast.LShift: "<<", ast.RShift: ">>", ast.MatMult: "@"}
_COMPARE = {ast.Eq: operator.eq, ast.NotEq: operator.ne, ast.Lt: operator.lt,
            ast.LtE: operator.le, ast.Gt: operator.gt, ast.GtE: operator.ge}
ARRAY_LIKE = PYTHON_SCALARS + (Kind.ARRAY,)
# Expressions nested deeper than this are not followed (each level costs a few stack frames).
_MAX_NESTING = 120
# Calls into these never mutate a Python list they are handed.
_PURE_PREFIXES = ("jax.", "numpy.", "math.", "functools.partial", "operator.", "ml_dtypes.",
                  "einops.", "typing.")
_ARRAY_METHODS = {"sum", "prod", "mean", "max", "min", "std", "var", "any", "all", "argmax",
                  "argmin", "cumsum", "cumprod", "ravel", "squeeze", "swapaxes", "conj",
                  "round", "argsort", "sort"}
_SAME_METHODS = {"copy", "block_until_ready", "conjugate"}
_MUTATORS = {"append", "extend", "insert", "pop", "remove", "clear", "sort", "reverse"}


class Evaluator:
    """Evaluates expressions in ``env`` (name -> AbsVal, updated by walrus and list mutation).

    ``lookup`` gives values of names that are not local (closures, module constants);
    ``volatile`` names are always unknown (global / nonlocal, or rebound by a nested function);
    ``local_names`` are the function's own bindings (they shadow import aliases);
    ``call_hook(call, args)`` may answer for calls the table does not know.
    """

    def __init__(self, imports: ImportMap, env: dict[str, AbsVal],
                 lookup: Optional[Callable[[str], Optional[AbsVal]]] = None,
                 x64: Optional[bool] = False, volatile: frozenset = frozenset(),
                 local_names: frozenset = frozenset(),
                 call_hook: Optional[Callable] = None) -> None:
        self.imports = imports
        self.env = env
        self.lookup = lookup
        self.x64 = x64
        self.volatile = volatile
        self.local_names = local_names
        self.call_hook = call_hook
        self.current = ""  # the qualified name of the call a handler is answering
        self.dirty = False  # a list may have been mutated (comprehensions pass it on)
        self.depth = 0  # nesting of the expression being evaluated

    # -- names -------------------------------------------------------------------------------
    def qualname(self, node: ast.AST) -> Optional[str]:
        root = node
        while isinstance(root, ast.Attribute):
            root = root.value
        if isinstance(root, ast.Name) and (root.id in self.local_names or root.id in self.env):
            return None
        return self.imports.qualname(node)

    def name(self, name: str) -> AbsVal:
        if name in self.volatile:
            return UNKNOWN
        val = self.env.get(name)
        if val is not None:
            return val
        qual = self.imports.names.get(name)
        if qual is not None and name not in self.local_names:
            return module_value(qual)
        if self.lookup is not None:
            val = self.lookup(name)
            if val is not None:
                return val
        if name in dt.PYTHON_DTYPES and name not in self.local_names:
            kind = dt.PYTHON_DTYPES[name]
            return dtype_value("bool" if kind == "b" else "default:" + kind)
        return UNKNOWN

    def is_builtin(self, name: str) -> bool:
        return (name not in self.env and name not in self.local_names
                and name not in self.imports.names
                and (self.lookup is None or self.lookup(name) is None)
                and hasattr(builtins, name))

    # -- dispatch ----------------------------------------------------------------------------
    def __call__(self, node: Optional[ast.AST]) -> AbsVal:
        if node is None:
            return NONE
        method = getattr(self, "_" + type(node).__name__, None)
        if method is None:
            for child in ast.iter_child_nodes(node):  # walrus / calls inside
                if isinstance(child, ast.expr):
                    self(child)
            return UNKNOWN
        if self.depth >= _MAX_NESTING:
            return self._skip(node)
        self.depth += 1
        try:
            return method(node)
        finally:
            self.depth -= 1

    def _skip(self, node: ast.AST) -> AbsVal:
        """An expression nested too deeply to follow (no recursion limit may be hit): unknown,
        and so is anything it may bind or mutate."""
        for sub in walk(node):
            if isinstance(sub, ast.NamedExpr) and isinstance(sub.target, ast.Name):
                self.env[sub.target.id] = UNKNOWN
            elif isinstance(sub, (ast.Call, ast.Await, ast.Yield, ast.YieldFrom)):
                self.invalidate()
        return UNKNOWN

    def _Constant(self, e):
        v = e.value
        if v is None:
            return NONE
        if isinstance(v, bool):
            return py_bool(v)
        if isinstance(v, int):
            return py_int(v)
        if isinstance(v, float):
            return py_float(v if v == v else None)
        if isinstance(v, complex):
            return AbsVal(Kind.COMPLEX, value=v)
        if isinstance(v, str):
            return py_str(v)
        return UNKNOWN

    def _JoinedStr(self, e):
        for part in e.values:
            self(part)
        return STR

    def _FormattedValue(self, e):
        self(e.value)
        return STR

    def _Name(self, e):
        return self.name(e.id)

    def _Lambda(self, e):
        return UNKNOWN

    def _Starred(self, e):
        return self(e.value)

    def _Tuple(self, e):
        return self._display(e.elts, Kind.TUPLE)

    def _List(self, e):
        return self._display(e.elts, Kind.LIST)

    def _display(self, elts, kind: Kind) -> AbsVal:
        items: list[AbsVal] = []
        exact = True
        extra = []
        for elt in elts:
            if isinstance(elt, ast.Starred):
                v = self(elt.value)
                if v.kind in SEQUENCES and v.items is not None:
                    items.extend(v.items)
                else:
                    exact = False
                    extra.append(element_of(v))
            else:
                items.append(self(elt))
        if exact:
            return sequence(kind, items)
        return summary(kind, join_all(items + extra) if items or extra else None)

    def _Set(self, e):
        for elt in e.elts:
            self(elt)
        return UNKNOWN

    def _Dict(self, e):
        for k, v in zip(e.keys, e.values):
            if k is not None:
                self(k)
            self(v)
        return DICT

    def _NamedExpr(self, e):
        v = self(e.value)
        self.bind(e.target, v)
        return v

    def _IfExp(self, e):
        t = truth(self(e.test))
        if t is True:
            return self(e.body)
        if t is False:
            return self(e.orelse)
        return join(self.maybe(e.body), self.maybe(e.orelse))

    def maybe(self, node: ast.AST) -> AbsVal:
        """Evaluate ``node`` on a path that may not run: names it binds (walrus) are joined
        with their values from before."""
        saved = self.env
        self.env = dict(saved)
        try:
            v = self(node)
            merged = self.env
        finally:
            self.env = saved
        for name, val in merged.items():
            old = saved.get(name)
            if old is not val:
                saved[name] = val if old is None else join(old, val)
        return v

    def _BoolOp(self, e):
        is_and = isinstance(e.op, ast.And)
        results = []
        for i, node in enumerate(e.values):
            v = self(node) if i == 0 else self.maybe(node)
            t = truth(v)
            last = i == len(e.values) - 1
            if last:
                results.append(v)
                break
            if t is (not is_and):
                results.append(v)  # ``a or b`` with a truthy: a
                break
            if t is None:
                results.append(v)
        return join_all(results)

    def _UnaryOp(self, e):
        v = self(e.operand)
        if isinstance(e.op, ast.Not):
            t = truth(v)
            return py_bool(None if t is None else not t)
        if v.kind in PYTHON_SCALARS:
            if isinstance(e.op, ast.Invert) and v.kind not in (Kind.BOOL, Kind.INT):
                return UNKNOWN
            value = v.value if v.kind is not Kind.INT or isinstance(v.value, int) else None
            if value is not None:
                fn = {ast.USub: operator.neg, ast.UAdd: operator.pos,
                      ast.Invert: operator.invert}[type(e.op)]
                out = fn(value)
                return {bool: py_bool, int: py_int, float: py_float}.get(
                    type(out), lambda x: AbsVal(Kind.COMPLEX, value=x))(out)
            if v.kind is Kind.BOOL:
                return py_int()
            if v.kind is Kind.INT and isinstance(e.op, ast.USub):
                return py_int(sh.dim_scale(v.value, -1),
                              None if v.hi is None else -v.hi, None if v.lo is None else -v.lo)
            return replace(v, value=None) if v.kind is not Kind.INT else py_int()
        if v.kind is Kind.ARRAY:
            return v
        return UNKNOWN

    def _BinOp(self, e):
        # ``a + b + c + ...`` nests down its left side: walk that spine iteratively.
        spine = [e]
        while type(spine[-1].left) is ast.BinOp:
            spine.append(spine[-1].left)
        val = self(spine[-1].left)
        for node in reversed(spine):
            val = self.binop(_BINOPS[type(node.op)], val, self(node.right))
        return val

    def binop(self, op: str, a: AbsVal, b: AbsVal) -> AbsVal:
        if a.kind in PYTHON_SCALARS and b.kind in PYTHON_SCALARS:
            return UNKNOWN if op == "@" else scalar_binop(op, a, b)
        if a.kind in ARRAY_LIKE and b.kind in ARRAY_LIKE:
            if op == "@":
                return matmul(self, a, b)
            if op == "/":
                return elementwise([a, b], self.x64, "inexact")
            if op in ("//", "%", "<<", ">>"):
                return elementwise([a, b], self.x64, "numeric")
            if op == "**":
                return power(self, a, b) if a.kind is Kind.ARRAY else \
                    array(None, None, elementwise([a, b], self.x64).shape)
            return elementwise([a, b], self.x64, "promote")
        if a.kind is b.kind and a.kind in SEQUENCES and op == "+":
            if a.items is not None and b.items is not None:
                return sequence(a.kind, a.items + b.items)
            parts = [x for x in (a.element() if a.length != 0 else None,
                                 b.element() if b.length != 0 else None) if x is not None]
            length = sh.dim_add(a.length, b.length)
            return summary(a.kind, join_all(parts) if parts else None, length)
        if op == "*" and (a.kind in SEQUENCES and b.kind in (Kind.INT, Kind.BOOL)
                          or b.kind in SEQUENCES and a.kind in (Kind.INT, Kind.BOOL)):
            seq, n = (a, b) if a.kind in SEQUENCES else (b, a)
            count = static_int(n)
            if seq.items is not None and count is not None and len(seq.items) * max(
                    count, 0) <= 64:
                return sequence(seq.kind, seq.items * max(count, 0))
            length = sh.dim_mul(seq.length, n.value) if isinstance(count, int) and \
                count >= 0 else None
            return summary(seq.kind, seq.element() if seq.length != 0 else None, length)
        if a.kind is Kind.STR and b.kind is Kind.STR and op == "+":
            if isinstance(a.value, str) and isinstance(b.value, str) and \
                    len(a.value) + len(b.value) <= 1000:
                return py_str(a.value + b.value)
            return STR
        if a.kind is Kind.STR and (op in ("+", "%") or op == "*" and b.kind is Kind.INT):
            return STR
        if b.kind is Kind.STR and op == "*" and a.kind is Kind.INT:
            return STR
        return UNKNOWN

    def _Compare(self, e):
        left = self(e.left)
        results = []
        for op, comp in zip(e.ops, e.comparators):
            right = self(comp) if not results else self.maybe(comp)
            results.append(self.compare(op, left, right))
            left = right
        return results[0] if len(results) == 1 else join_all(results)

    def compare(self, op: ast.cmpop, a: AbsVal, b: AbsVal) -> AbsVal:
        if isinstance(op, (ast.Is, ast.IsNot)):
            same = None
            if a.kind is Kind.NONE and b.kind is Kind.NONE:
                same = True
            elif Kind.UNKNOWN not in (a.kind, b.kind) and (a.kind is Kind.NONE) != (
                    b.kind is Kind.NONE):
                same = False
            if same is not None and isinstance(op, ast.IsNot):
                same = not same
            return py_bool(same)
        if isinstance(op, (ast.In, ast.NotIn)):
            return py_bool()
        if a.kind in PYTHON_SCALARS and b.kind in PYTHON_SCALARS:
            return scalar_compare(a, b, _COMPARE[type(op)])
        if Kind.ARRAY in (a.kind, b.kind):
            if a.kind in ARRAY_LIKE and b.kind in ARRAY_LIKE:
                return elementwise([a, b], self.x64, "compare")
            return UNKNOWN
        python = PYTHON_SCALARS + (Kind.STR, Kind.NONE) + SEQUENCES + (Kind.DICT,)
        if a.kind in python and b.kind in python:
            if a.kind is Kind.STR and b.kind is Kind.STR and isinstance(a.value, str) \
                    and isinstance(b.value, str):
                return py_bool(_COMPARE[type(op)](a.value, b.value))
            return py_bool()
        return UNKNOWN

    # -- attributes and subscripts ------------------------------------------------------------
    def _Attribute(self, e):
        qual = self.qualname(e)
        if qual is not None:
            return module_value(qual)
        return attribute(self(e.value), e.attr, self.x64)

    def _Subscript(self, e):
        base = self(e.value)
        if base.kind is Kind.ARRAY:
            return self.index_array(base, e.slice)
        if base.kind in SEQUENCES:
            return self._index_sequence(base, e.slice)
        self(e.slice)
        return STR if base.kind is Kind.STR else UNKNOWN

    def _Slice(self, e):
        for part in (e.lower, e.upper, e.step):
            if part is not None:
                self(part)
        return UNKNOWN

    def _static_bound(self, node) -> tuple[bool, Optional[int]]:
        """A slice bound: (static, value). Omitted or None is static with value None."""
        if node is None:
            return True, None
        v = self(node)
        if v.kind is Kind.NONE:
            return True, None
        n = static_int(v)
        return (n is not None), n

    def index_array(self, base: AbsVal, index: ast.expr) -> AbsVal:
        nodes = index.elts if isinstance(index, ast.Tuple) else [index]
        parts: list[tuple] = []
        for node in nodes:
            if isinstance(node, ast.Slice):
                bounds = [self._static_bound(b) for b in (node.lower, node.upper, node.step)]
                if all(ok for ok, _ in bounds):
                    parts.append(("slice",) + tuple(v for _, v in bounds))
                else:
                    parts.append(("slice?",))
                continue
            if isinstance(node, ast.Constant) and node.value is Ellipsis:
                parts.append(("ellipsis",))
                continue
            if isinstance(node, ast.Starred):
                self(node)
                parts.append(("unknown",))
                continue
            v = self(node)
            if v.kind is Kind.NONE:
                parts.append(("none",))
            elif v.kind is Kind.INT:
                parts.append(("int",))
            elif v.kind is Kind.ARRAY and v.shape == () and int_dtype(v.dtype):
                parts.append(("int",))
            elif v.kind is Kind.ARRAY or v.kind in SEQUENCES:
                parts.append(("adv",))
            else:
                parts.append(("unknown",))
        return array(base.dtype, base.weak, index_shape(base.shape, parts))

    def _index_sequence(self, base: AbsVal, index: ast.expr) -> AbsVal:
        if isinstance(index, ast.Slice):
            bounds = [self._static_bound(b) for b in (index.lower, index.upper, index.step)]
            static = all(ok for ok, _ in bounds)
            lo, hi, step = (v for _, v in bounds)
            if static and base.items is not None and step != 0:
                return sequence(base.kind, base.items[lo:hi:step])
            if static and isinstance(base.shape, sh.ShapeSym) and hi is None and step is None \
                    and lo is not None and lo >= 0:
                return shape_tuple(sh.drop(base.shape, lo))
            return summary(base.kind, base.element() if base.length != 0 else None)
        i = static_int(self(index))
        if i is not None:
            if base.items is not None:
                if -len(base.items) <= i < len(base.items):
                    return base.items[i]
                return UNKNOWN  # raises IndexError
            if isinstance(base.shape, sh.ShapeSym):
                return dim_int(sh.dim_at(base.shape, i))
        return base.element()

    # -- calls -------------------------------------------------------------------------------
    def args(self, call: ast.Call) -> Args:
        pos, kw, complete = [], {}, True
        for a in call.args:
            if isinstance(a, ast.Starred):
                v = self(a.value)
                if v.kind in SEQUENCES and v.items is not None and complete:
                    pos.extend(v.items)
                else:
                    complete = False
            else:
                v = self(a)
                if complete:
                    pos.append(v)
        for k in call.keywords:
            v = self(k.value)
            if k.arg is None:
                complete = False
            else:
                kw[k.arg] = v
        return Args(pos, kw, complete)

    def _Call(self, e):
        func = e.func
        qual = self.qualname(func)
        if qual is not None:
            args = self.args(e)
            return self.known_call(qual, e, args)
        if isinstance(func, ast.Name) and self.is_builtin(func.id):
            return self.builtin(func.id, e)
        if isinstance(func, ast.Attribute):
            return self.method(func, e)
        self(func)
        args = self.args(e)
        return self.opaque_call(e, args)

    def known_call(self, qual: str, e: ast.Call, args: Args) -> AbsVal:
        handler = TABLE.get(qual)
        if handler is not None:
            self.current = qual
            return handler(self, args)
        if not qual.startswith(_PURE_PREFIXES):
            return self.opaque_call(e, args)
        return self._hook(e, args)

    def opaque_call(self, e: ast.Call, args: Args) -> AbsVal:
        """A call the analysis cannot see into: it may mutate any list."""
        self.invalidate()
        return self._hook(e, args)

    def _hook(self, e, args) -> AbsVal:
        if self.call_hook is not None:
            out = self.call_hook(e, args)
            if out is not None:
                return out
        return UNKNOWN

    def method(self, func: ast.Attribute, e: ast.Call) -> AbsVal:
        attr = func.attr
        holder = func.value
        if isinstance(holder, ast.Subscript) and isinstance(holder.value, ast.Attribute) \
                and holder.value.attr == "at":
            target = self(holder.value.value)
            if target.kind is Kind.ARRAY:
                if attr == "get":
                    out = self.index_array(target, holder.slice)
                    self.args(e)
                    return out
                self(holder.slice)
                self.args(e)
                if attr in ("set", "add", "multiply", "mul", "divide", "div", "power", "min",
                            "max", "apply"):
                    return target
                return UNKNOWN
        base = self(holder)
        if base.kind is Kind.ARRAY:
            return self.array_method(base, attr, self.args(e))
        if base.kind is Kind.LIST and attr in _MUTATORS:
            return self.list_method(holder, base, attr, self.args(e))
        args = self.args(e)
        if base.kind is Kind.LIST:
            if attr in ("index", "count"):
                return py_int(lo=0 if attr == "count" else None)
            if attr == "copy":
                return base
            return UNKNOWN
        if base.kind is Kind.TUPLE:
            return py_int() if attr in ("index", "count") else UNKNOWN
        if base.kind is Kind.STR:
            return str_method(attr)
        if base.kind in (Kind.DICT, Kind.UNKNOWN) or attr in _MUTATORS:
            return self.opaque_call(e, args)
        return self._hook(e, args)

    def array_method(self, base: AbsVal, attr: str, args: Args) -> AbsVal:
        if attr == "astype":
            from .ops import dtype_arg, strong_dtype
            given, d = dtype_arg(args.get(0, "dtype"), self.x64)
            dtype, weak = strong_dtype(d, self.x64) if given else (None, None)
            return array(dtype, weak, base.shape)
        if attr == "reshape":
            if len(args.pos) == 1 and args.complete and "shape" not in args.kw:
                target = shape_arg(args.pos[0])
            elif args.pos and args.complete:
                target = shape_arg(sequence(Kind.TUPLE, args.pos))
            else:
                target = shape_arg(args.kw.get("shape"))
            return array(base.dtype, base.weak, sh.reshape(base.shape, target))
        if attr == "transpose":
            if not args.pos:
                return array(base.dtype, base.weak, sh.transpose(base.shape))
            seq = args.pos[0] if len(args.pos) == 1 else sequence(Kind.TUPLE, args.pos)
            from .ops import static_ints
            axes = static_ints(seq)
            return array(base.dtype, base.weak, sh.transpose(base.shape, axes)
                         if axes is not None else None)
        if attr == "flatten":
            attr = "ravel"
        if attr in _SAME_METHODS:
            return base
        if attr == "item":
            kind = dt.kind_of(base.dtype) if isinstance(base.dtype, str) else None
            return {"b": py_bool(), "i": py_int(), "u": py_int(), "f": py_float(),
                    "c": AbsVal(Kind.COMPLEX)}.get(kind, UNKNOWN)
        if attr == "clip":
            return TABLE["jax.numpy.clip"](self, Args([base] + args.pos, args.kw,
                                                      args.complete))
        if attr == "dot" and args.pos:
            self.current = "jax.numpy.dot"
            return TABLE["jax.numpy.dot"](self, Args([base] + args.pos, args.kw, args.complete))
        if attr in _ARRAY_METHODS:
            self.current = "jax.numpy." + attr
            return TABLE[self.current](self, Args([base] + args.pos, args.kw, args.complete))
        return UNKNOWN

    def list_method(self, holder: ast.expr, base: AbsVal, attr: str, args: Args) -> AbsVal:
        if not isinstance(holder, ast.Name):
            self.invalidate()
            return UNKNOWN
        name = holder.id
        items, elem = base.items, base.element() if base.length != 0 else None
        out: AbsVal = NONE
        new: AbsVal
        if attr == "append" and len(args.pos) == 1:
            v = args.pos[0]
            new = sequence(Kind.LIST, items + (v,)) if items is not None else summary(
                Kind.LIST, join(elem, v) if elem is not None else v, sh.dim_add(base.length, 1))
        elif attr == "extend" and len(args.pos) == 1:
            new = self._extended(base, args.pos[0])
        elif attr == "pop" and not args.kw:
            i = static_int(args.pos[0]) if args.pos else -1
            if items is not None and items and i is not None and -len(items) <= i < len(items):
                out = items[i]
                rest = list(items)
                del rest[i]
                new = sequence(Kind.LIST, rest)
            else:
                out = elem if elem is not None else UNKNOWN
                new = summary(Kind.LIST, elem, sh.dim_add(base.length, -1))
        elif attr == "clear":
            new = sequence(Kind.LIST, ())
        elif attr in ("sort", "reverse") and items is not None and len(set(items)) <= 1:
            new = base if attr == "reverse" or not args.kw else \
                summary(Kind.LIST, elem, base.length)
        elif attr == "insert" and len(args.pos) == 2:
            v = args.pos[1]
            new = summary(Kind.LIST, join(elem, v) if elem is not None else v,
                          sh.dim_add(base.length, 1))
        else:
            new = summary(Kind.LIST, elem if attr != "insert" else None)
        if args.kw and attr == "sort":
            self.invalidate()  # key= may run code
        self.mutated(name, new)
        return out

    def _extended(self, base: AbsVal, v: AbsVal) -> AbsVal:
        if v.kind in SEQUENCES and v.items is not None and base.items is not None:
            return sequence(Kind.LIST, base.items + v.items)
        add = element_of(v)
        length = sh.dim_add(base.length, v.length) if v.kind in SEQUENCES else None
        old = base.element() if base.length != 0 else None
        if v.kind in SEQUENCES and v.length == 0:
            return base
        return summary(Kind.LIST, join(old, add) if old is not None else add, length)

    def mutated(self, name: str, new: AbsVal) -> None:
        """The list ``name`` holds was mutated into ``new``: other names may hold it too."""
        self.dirty = True
        for other, val in self.env.items():
            if other != name and holds_mutable(val):
                self.env[other] = forget_contents(val)
        # A list inside it may be the list itself (``out.append(out)``) or share with it.
        if new.items is not None and any(holds_mutable(x) for x in new.items):
            new = replace(new, items=tuple(forget_contents(x) for x in new.items))
        elif new.elem is not None and holds_mutable(new.elem):
            new = replace(new, elem=forget_contents(new.elem))
        self.env[name] = new

    def invalidate(self) -> None:
        self.dirty = True
        for name, val in self.env.items():
            if holds_mutable(val):
                self.env[name] = forget_contents(val)

    # -- builtins ----------------------------------------------------------------------------
    def builtin(self, name: str, e: ast.Call) -> AbsVal:
        if name in ("list", "tuple", "sorted", "sum", "min", "max", "any", "all") and \
                len(e.args) == 1 and isinstance(e.args[0], (ast.GeneratorExp, ast.ListComp)):
            first = self.comprehension(e.args[0])
            rest = Args([first], {k.arg: self(k.value) for k in e.keywords if k.arg},
                        all(k.arg for k in e.keywords))
        else:
            rest = self.args(e)
        a = rest.pos
        kind = {"list": Kind.LIST, "tuple": Kind.TUPLE}.get(name)
        if kind is not None:
            if not a:
                return sequence(kind, ()) if rest.complete else summary(kind)
            src = a[0]
            if src.kind in SEQUENCES:
                if src.items is not None:
                    return sequence(kind, src.items)
                return AbsVal(kind, elem=src.elem, length=src.length,
                              shape=src.shape if kind is Kind.TUPLE else None)
            if src.kind is Kind.ARRAY:
                return summary(kind, element_of(src), sh.dim_at(src.shape, 0))
            return summary(kind, element_of(src) if src.kind is Kind.STR else None)
        if name == "len" and a:
            return length_of(a[0])
        if name in ("int", "float", "bool", "complex", "str"):
            return convert_builtin(name, a[0] if a else None)
        if name == "abs" and len(a) == 1:
            v = a[0]
            if v.kind in PYTHON_SCALARS:
                x = v.value if v.kind is not Kind.INT or isinstance(v.value, int) else None
                if x is not None:
                    out = abs(x)
                    return py_float(out) if isinstance(out, float) else py_int(out)
                return py_float() if v.kind in (Kind.FLOAT, Kind.COMPLEX) else py_int(lo=0)
            if v.kind is Kind.ARRAY:
                return unary_array(v, "real", self.x64)
            return UNKNOWN
        if name in ("min", "max"):
            if "key" in rest.kw:
                self.invalidate()
            if len(a) == 1:
                candidates = [element_of(a[0])]
            else:
                candidates = list(a)
            if "default" in rest.kw:
                candidates.append(rest.kw["default"])
            if not rest.complete:
                return UNKNOWN
            return min_max(name, candidates)
        if name == "round":
            v = a[0] if a else UNKNOWN
            if v.kind is Kind.ARRAY:
                return v
            if v.kind in (Kind.FLOAT, Kind.INT, Kind.BOOL):
                if len(a) > 1 or "ndigits" in rest.kw:
                    return py_float() if v.kind is Kind.FLOAT else py_int()
                x = v.value if v.kind is not Kind.INT or isinstance(v.value, int) else None
                return py_int(round(x) if x is not None and abs(x) < 1e300 else None)
            return UNKNOWN
        if name == "pow" and len(a) == 2:
            return self.binop("**", a[0], a[1])
        if name == "divmod" and len(a) == 2:
            return sequence(Kind.TUPLE, (self.binop("//", a[0], a[1]),
                                         self.binop("%", a[0], a[1])))
        if name in ("isinstance", "issubclass", "callable", "hasattr", "any", "all"):
            return py_bool()
        if name in ("id", "hash", "ord"):
            return py_int()
        if name in ("repr", "format", "chr", "hex", "oct", "bin", "ascii"):
            return STR
        if name == "print":
            return NONE
        if name == "open":
            return UNKNOWN  # a file object; opening one touches no list
        if name == "dict":
            return DICT
        if name in ("map", "filter"):
            self.invalidate()
            return UNKNOWN
        if name == "sum" and a and a[0].kind in SEQUENCES and a[0].items is not None:
            acc = rest.kw.get("start", a[1] if len(a) > 1 else py_int(0))
            for item in a[0].items:
                acc = self.binop("+", acc, item)
            return acc
        if name in ("range", "zip", "enumerate", "reversed", "iter", "next", "sorted", "type",
                    "getattr", "set", "frozenset", "vars", "sum", "super", "object", "slice"):
            if name == "sorted":
                if "key" in rest.kw:
                    self.invalidate()
                src = a[0] if a else UNKNOWN
                return summary(Kind.LIST, element_of(src) if src.kind is not Kind.DICT else None,
                               length_of(src).value if src.kind in SEQUENCES else None)
            return UNKNOWN
        self.invalidate()
        return UNKNOWN

    # -- comprehensions ----------------------------------------------------------------------
    def comprehension(self, e) -> AbsVal:
        """A list comprehension (a generator expression is read the same way by ``list()``)."""
        child = Evaluator(self.imports, dict(self.env), self.lookup, self.x64, self.volatile,
                          self.local_names, self.call_hook)
        length = None
        for i, gen in enumerate(e.generators):
            if i == 0:
                if is_iteration_call(gen.iter, self):
                    elem = self.iter_element(gen.iter)
                    src = None
                else:
                    src = self(gen.iter)
                    elem = element_of(src)
                if len(e.generators) == 1 and not gen.ifs:
                    length = iteration_length(gen.iter, src, self)
            else:
                elem = child.iter_element(gen.iter)
            child.bind(gen.target, elem)
            for cond in gen.ifs:
                child(cond)
        if isinstance(e, ast.DictComp):
            child(e.key)
            value = child(e.value)
        else:
            value = child(e.elt)
        if child.dirty:
            self.invalidate()
        for node in ast.walk(e):
            if isinstance(node, ast.NamedExpr) and isinstance(node.target, ast.Name):
                self.env[node.target.id] = UNKNOWN
        if isinstance(e, ast.DictComp):
            return DICT
        if isinstance(e, ast.SetComp):
            return UNKNOWN
        return summary(Kind.LIST, value, length)

    def _ListComp(self, e):
        return self.comprehension(e)

    def _GeneratorExp(self, e):
        self.comprehension(e)
        return UNKNOWN

    _SetComp = _DictComp = _ListComp

    def _Await(self, e):
        self(e.value)
        self.invalidate()
        return UNKNOWN

    def _Yield(self, e):
        self(e.value)
        self.invalidate()
        return UNKNOWN

    _YieldFrom = _Yield

    # -- iteration and binding ---------------------------------------------------------------
    def iter_element(self, node: ast.expr, index: Optional[AbsVal] = None) -> AbsVal:
        """The value bound on one iteration of ``for _ in node``. ``index``: the value a
        ``range`` / ``enumerate`` counter has instead of a Python int (a rewrite's traced index).
        """
        if is_iteration_call(node, self):
            name = node.func.id
            if any(isinstance(a, ast.Starred) for a in node.args):
                self.args(node)
                return UNKNOWN if name != "range" else (index or py_int())
            if name == "range":
                vals = [self(a) for a in node.args]
                return index if index is not None else range_element(vals)
            if name == "reversed" and len(node.args) == 1:
                return self.iter_element(node.args[0], index)
            if name == "enumerate" and node.args:
                elem = self.iter_element(node.args[0])
                start = next((self(k.value) for k in node.keywords if k.arg == "start"),
                             self(node.args[1]) if len(node.args) > 1 else py_int(0))
                counter = index if index is not None else (
                    py_int(lo=start.lo) if start.kind is Kind.INT else py_int())
                return sequence(Kind.TUPLE, (counter, elem))
            if name == "zip":
                for k in node.keywords:
                    self(k.value)
                return sequence(Kind.TUPLE, [self.iter_element(a, index) for a in node.args])
        return element_of(self(node))

    def bind(self, target: ast.expr, v: AbsVal) -> None:
        if isinstance(target, ast.Name):
            self.env[target.id] = v if target.id not in self.volatile else UNKNOWN
        elif isinstance(target, (ast.Tuple, ast.List)):
            self._unpack(target.elts, v)
        elif isinstance(target, ast.Starred):
            self.bind(target.value, summary(Kind.LIST, element_of(v)))
        elif isinstance(target, ast.Subscript):
            self.store_item(target, v)
        elif isinstance(target, ast.Attribute):
            self(target.value)

    def _unpack(self, targets: list, v: AbsVal) -> None:
        star = next((i for i, t in enumerate(targets) if isinstance(t, ast.Starred)), None)
        n = len(targets)
        if v.kind in SEQUENCES and v.items is not None:
            items = v.items
            if star is None:
                parts = list(items) if len(items) == n else [UNKNOWN] * n
            elif len(items) >= n - 1:
                tail = n - star - 1
                middle = items[star:len(items) - tail]
                parts = list(items[:star]) + [sequence(Kind.LIST, middle)] + \
                    list(items[len(items) - tail:])
            else:
                parts = [UNKNOWN] * n
            for t, p in zip(targets, parts):
                if isinstance(t, ast.Starred):
                    self.bind(t.value, p)
                else:
                    self.bind(t, p)
            return
        each = element_of(v)
        if v.kind in SEQUENCES and isinstance(v.shape, sh.ShapeSym) and star is None:
            for i, t in enumerate(targets):
                self.bind(t, dim_int(sh.dim_at(v.shape, i)))
            return
        for t in targets:
            if isinstance(t, ast.Starred):
                self.bind(t.value, summary(Kind.LIST, each))
            else:
                self.bind(t, each)

    def store_item(self, target: ast.Subscript, v: AbsVal) -> None:
        holder = target.value
        base = self(holder)
        index = self(target.slice)
        if base.kind is Kind.LIST and isinstance(holder, ast.Name):
            i = static_int(index)
            if base.items is not None and i is not None and -len(base.items) <= i < len(
                    base.items):
                items = list(base.items)
                items[i] = v
                new = sequence(Kind.LIST, items)
            else:
                old = base.element() if base.length != 0 else None
                new = summary(Kind.LIST, join(old, v) if old is not None else None,
                              base.length if not isinstance(target.slice, ast.Slice) else None)
            self.mutated(holder.id, new)
        elif base.kind in (Kind.ARRAY, Kind.DICT, Kind.TUPLE, Kind.STR):
            pass  # arrays, tuples and strs raise; dict contents are not modelled
        else:
            self.invalidate()
