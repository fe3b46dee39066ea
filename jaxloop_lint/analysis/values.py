"""Abstract values: which expressions are traced arrays, shape-derived ints, or static values."""
from __future__ import annotations

import ast
import enum
from dataclasses import dataclass
from typing import Callable, Optional

from . import jaxapi
from .imports import ImportMap


class Kind(enum.IntEnum):
    """Ordered by how much tracing a value carries: the join of two kinds is the larger."""

    STATIC = 0   # a concrete Python value at trace time: literal, constant, static arg, module
    SHAPE = 1    # a concrete int taken from an array's shape: static, but scales with the data
    UNKNOWN = 2  # nothing known (e.g. an argument that a transform may leave as a Python value)
    PYTREE = 3   # holds traced leaves in an unknown structure (opaque call results, params["w"])
    TRACED = 4   # definitely traced: a jit argument's leaf, a jnp result, a comparison on them


@dataclass(frozen=True)
class Val:
    kind: Kind
    # True: a jax array (iterating it walks axis 0); False: a Python value or container;
    # None: could be either (a jit argument may be an array or a list of arrays).
    array: Optional[bool] = None

    def join(self, other: "Val") -> "Val":
        kind = max(self.kind, other.kind)
        array = self.array if self.array == other.array else None
        return Val(Kind(kind), array)

    @property
    def traced(self) -> bool:
        return self.kind >= Kind.PYTREE

    @property
    def iterable_array(self) -> bool:
        """Iterating it walks an array's rows: a traced array, or a jit argument that nothing
        shows to be a Python container."""
        return self.kind >= Kind.PYTREE and self.array is True or (
            self.kind is Kind.TRACED and self.array is None)


STATIC = Val(Kind.STATIC, False)
SHAPE = Val(Kind.SHAPE, False)
UNKNOWN = Val(Kind.UNKNOWN, None)
PYTREE = Val(Kind.PYTREE, None)
ARRAY = Val(Kind.TRACED, True)
TRACED_ANY = Val(Kind.TRACED, None)


def join_all(vals, default: Val = STATIC) -> Val:
    out = None
    for v in vals:
        out = v if out is None else out.join(v)
    return default if out is None else out


def _arith(v: Val) -> Val:
    """The result of arithmetic / comparison on a value of this kind."""
    if v.kind >= Kind.PYTREE:
        return ARRAY
    return Val(v.kind, False)


class Evaluator:
    """Classifies expressions against an environment of names.

    ``lookup`` resolves names that are not in ``env`` (closures, module globals); ``variable_attrs``
    are the attribute names of ``self`` that hold nnx Variables.
    """

    def __init__(self, imports: ImportMap, env: dict[str, Val],
                 lookup: Callable[[str], Optional[Val]], self_name: Optional[str] = None,
                 variable_attrs: frozenset[str] = frozenset()) -> None:
        self.imports = imports
        self.env = env
        self.lookup = lookup
        self.self_name = self_name
        self.variable_attrs = variable_attrs

    # -- names -------------------------------------------------------------------------------
    def name(self, name: str) -> Val:
        val = self.env.get(name)
        if val is not None:
            return val
        val = self.lookup(name)
        if val is not None:
            return val
        if name in self.imports.names or name in jaxapi.STATIC_BUILTINS or name in (
                "True", "False", "None"):
            return STATIC
        return UNKNOWN

    def is_builtin(self, name: str) -> bool:
        """``name`` means the builtin: not rebound locally, in a closure or by an import."""
        return (name not in self.env and name not in self.imports.names
                and self.lookup(name) is None)

    def is_variable(self, expr: ast.AST) -> bool:
        """``self.W`` where W holds an nnx Variable."""
        return (isinstance(expr, ast.Attribute) and expr.attr in self.variable_attrs
                and isinstance(expr.value, ast.Name) and expr.value.id == self.self_name)

    # -- expressions -------------------------------------------------------------------------
    def __call__(self, expr: Optional[ast.AST]) -> Val:
        if expr is None:
            return STATIC
        method = getattr(self, "_" + type(expr).__name__, None)
        return method(expr) if method is not None else UNKNOWN

    def _Constant(self, e):
        return STATIC

    _JoinedStr = _Lambda = _Constant

    def _Name(self, e):
        return self.name(e.id)

    def _Attribute(self, e):
        if self.is_variable(e):
            return ARRAY
        if self.is_variable(e.value) and e.attr == "value":
            return ARRAY
        base = self(e.value)
        attr = e.attr
        if base.kind == Kind.STATIC:
            return STATIC
        if attr in jaxapi.SHAPE_ARRAY_ATTRS:
            return SHAPE if base.array is not False else Val(Kind.UNKNOWN, None)
        if attr in jaxapi.STATIC_ARRAY_ATTRS:
            return STATIC
        if base.kind == Kind.SHAPE:
            return SHAPE
        if attr in jaxapi.ARRAY_PRESERVING_ATTRS and base.array:
            return base
        if base.kind >= Kind.PYTREE:
            return PYTREE
        return UNKNOWN

    def _Subscript(self, e):
        if self.is_variable(e.value):
            return ARRAY
        base = self(e.value)
        if base.kind <= Kind.SHAPE:
            return base
        if base.array:
            return ARRAY
        if isinstance(e.slice, ast.Constant) and isinstance(e.slice.value, (str, int)) \
                and not isinstance(e.slice.value, bool):
            return PYTREE  # batch["x"], state[0]: a leaf or a whole sub-tree
        if base.kind >= Kind.PYTREE:
            return Val(base.kind, None)
        return UNKNOWN

    def _BinOp(self, e):
        # ``a + b + c + ...`` nests down its left side: walk that spine in a loop, not by
        # recursion, so a long flat sum does not exhaust the interpreter's recursion limit.
        spine = [e]
        while type(spine[-1].left) is ast.BinOp:
            spine.append(spine[-1].left)
        val = self(spine[-1].left)
        for node in reversed(spine):
            val = self._combine(node, val, self(node.right))
        return val

    @staticmethod
    def _combine(e, left: Val, right: Val) -> Val:
        if isinstance(e.op, ast.Add) and (isinstance(e.left, (ast.List, ast.Tuple))
                                          or isinstance(e.right, (ast.List, ast.Tuple))):
            return STATIC  # list / tuple concatenation builds a Python container
        return _arith(left.join(right))

    def _UnaryOp(self, e):
        return _arith(self(e.operand))

    def _BoolOp(self, e):
        return _arith(join_all(self(v) for v in e.values))

    def _Compare(self, e):
        if any(isinstance(op, (ast.Is, ast.IsNot)) for op in e.ops):
            return STATIC
        if any(isinstance(op, (ast.In, ast.NotIn)) for op in e.ops):
            # ``k in params`` tests a container's keys: static structure.
            return _arith(self(e.left))
        return _arith(join_all([self(e.left)] + [self(c) for c in e.comparators]))

    def _IfExp(self, e):
        return self(e.body).join(self(e.orelse))

    def _NamedExpr(self, e):
        val = self(e.value)
        if isinstance(e.target, ast.Name):
            self.env[e.target.id] = val
        return val

    def _Starred(self, e):
        return self(e.value)

    def _Tuple(self, e):
        return STATIC if not e.elts else Val(join_all(self(x) for x in e.elts).kind, False)

    _List = _Set = _Tuple

    def _Dict(self, e):
        return Val(join_all(self(v) for v in e.values if v is not None).kind, False)

    def _ListComp(self, e):
        return Val(Kind.PYTREE if self(e.generators[0].iter).traced else Kind.STATIC, False)

    _SetComp = _GeneratorExp = _DictComp = _ListComp

    def _Call(self, e):
        func = e.func
        qual = self.imports.qualname(func)
        if qual is not None:
            return self._known_call(qual, e)
        if isinstance(func, ast.Name):
            local = self.env.get(func.id) or self.lookup(func.id)
            if local is None and func.id in jaxapi.STATIC_BUILTINS | jaxapi.PASSTHROUGH_BUILTINS:
                return self._builtin(func.id, e)
        if isinstance(func, ast.Attribute):
            return self._method(func, e)
        return self._opaque(e)

    def _args(self, e) -> Val:
        return join_all([self(a) for a in e.args] + [self(k.value) for k in e.keywords])

    def _opaque(self, e) -> Val:
        """A call we know nothing about: traced in, traced (of unknown structure) out."""
        return PYTREE if self._args(e).traced else UNKNOWN

    def _known_call(self, qual: str, e) -> Val:
        if qual in jaxapi.SHAPE_RESULTS:
            return SHAPE
        if qual in jaxapi.STATIC_RESULTS:
            return STATIC
        if qual in jaxapi.CONTAINER_RESULTS:
            return Val(Kind.PYTREE, False if qual != "jax.random.split" else None)
        if qual.startswith(jaxapi.ARRAY_NAMESPACES):
            self._args(e)  # evaluate for walrus side effects
            return ARRAY
        if qual.startswith(("numpy.", "math.")):
            return STATIC
        if qual.startswith(("jax.tree", "jax.tree_util")):
            return PYTREE if self._args(e).traced else STATIC
        return self._opaque(e)

    def _builtin(self, name: str, e) -> Val:
        args = [self(a) for a in e.args]
        if name == "len":
            if args and (args[0].iterable_array or args[0].array and args[0].kind >= Kind.UNKNOWN):
                return SHAPE  # len of an array is its leading dimension
            return STATIC  # len(x.shape) is the rank; len(container) its static length
        if name in jaxapi.PASSTHROUGH_BUILTINS:
            joined = join_all(args)
            if name in ("min", "max", "sum") and len(args) == 1 and joined.array is False:
                return Val(joined.kind, False)
            return _arith(joined) if joined.traced else Val(joined.kind, False)
        return STATIC

    def _method(self, func: ast.Attribute, e) -> Val:
        if self.is_variable(func.value):
            # self.W.get_value(), self.W.astype(...): reads of the Variable's array
            return ARRAY if func.attr != "set_value" else STATIC
        base = self(func.value)
        args = self._args(e)
        attr = func.attr
        if base.kind == Kind.STATIC:
            if isinstance(func.value, ast.Name) and func.value.id == self.self_name:
                # self.method(x) / self.cell(h, x): traced in, traced out.
                return PYTREE if args.traced else UNKNOWN
            return PYTREE if args.traced else STATIC
        if attr in ("items", "keys", "values", "get", "copy", "pop", "setdefault"):
            return Val(base.kind, False if attr != "get" else None)
        if attr in jaxapi.ARRAY_ATTRS or attr in ("set", "add", "multiply", "divide", "min",
                                                  "max", "apply", "power", "get"):
            if base.kind >= Kind.PYTREE:
                return ARRAY
        if base.kind == Kind.SHAPE:
            return SHAPE
        if base.kind >= Kind.PYTREE:
            return PYTREE
        return UNKNOWN
