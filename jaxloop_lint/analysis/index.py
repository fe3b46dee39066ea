"""One walk over the module: imports, functions with their scopes, classes, and the calls that
matter (transforms and lax loops). Everything later looks things up here instead of re-walking."""
from __future__ import annotations

import ast
import bisect
from dataclasses import dataclass, field
from typing import Optional, Sequence, Union

from . import jaxapi
from .imports import ImportMap
from .source_text import SourceText
from .walk import child_nodes

FunctionNode = Union[ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda]

# Last names of the calls the index keeps (resolved to qualified names once imports are known).
_CALL_TAILS = tuple({q.rsplit(".", 1)[1] for q in list(jaxapi.TRANSFORMS) + list(jaxapi.LAX_CALLS)
               + list(jaxapi.KERNEL_CALLS)})


# Statements that hold no statements: when none of their lines names a kept call, the walk has
# nothing to find inside them.
_SIMPLE_STATEMENTS = (ast.Assign, ast.AugAssign, ast.AnnAssign, ast.Expr, ast.Return,
                      ast.Delete, ast.Raise, ast.Assert)


_JUDGED_STATEMENTS = (ast.For, ast.AsyncFor, ast.While)


def _stores_item(target: ast.expr) -> bool:
    """``x[i] = ...``, also inside ``a, x[i] = ...`` and ``*x[i], = ...``."""
    kind = type(target)
    if kind is ast.Subscript:
        return True
    if kind is ast.Tuple or kind is ast.List:
        return any(map(_stores_item, target.elts))
    return kind is ast.Starred and _stores_item(target.value)


@dataclass(eq=False)
class ClassInfo:
    node: ast.ClassDef
    methods: dict[str, "FunctionInfo"] = field(default_factory=dict)
    # attribute name -> the constructor expression assigned to ``self.<attr>`` in any method
    self_assigns: dict[str, ast.expr] = field(default_factory=dict)

    @property
    def name(self) -> str:
        return self.node.name


@dataclass(eq=False)
class FunctionInfo:
    node: FunctionNode
    parent: Optional["FunctionInfo"]
    cls: Optional[ClassInfo]  # set when the function is a method of this class
    children: dict[str, "FunctionInfo"] = field(default_factory=dict)
    # Holds (outside nested functions) a loop or an item store: what the rules on traced
    # functions judge. A function without one matters only through what it calls.
    judged: bool = False

    @property
    def name(self) -> str:
        return getattr(self.node, "name", "<lambda>")

    @property
    def qualname(self) -> str:
        parts = [self.name]
        fn = self
        while fn.parent is not None:
            fn = fn.parent
            parts.append(fn.name)
        if fn.cls is not None:
            parts.append(fn.cls.name)
        return ".".join(reversed(parts))

    @property
    def self_name(self) -> Optional[str]:
        """The name ``self`` has inside this function (its own or an enclosing method's)."""
        fn: Optional[FunctionInfo] = self
        while fn is not None:
            if fn.cls is not None and not _is_static(fn.node):
                args = fn.node.args.posonlyargs + fn.node.args.args
                return args[0].arg if args else None
            fn = fn.parent
        return None

    @property
    def method_class(self) -> Optional[ClassInfo]:
        fn: Optional[FunctionInfo] = self
        while fn is not None:
            if fn.cls is not None:
                return fn.cls
            fn = fn.parent
        return None


def _is_static(node: FunctionNode) -> bool:
    return any(isinstance(d, ast.Name) and d.id in ("staticmethod", "classmethod")
               for d in getattr(node, "decorator_list", ()))


@dataclass(eq=False)
class CallSite:
    call: ast.Call
    scope: Optional[FunctionInfo]  # None at module level
    qualname: str = ""


class ModuleIndex:
    def __init__(self, tree: ast.Module, lines: Optional[Sequence[str]] = None) -> None:
        self.tree = tree
        self.imports = ImportMap()
        self.functions: list[FunctionInfo] = []
        self.by_node: dict[ast.AST, FunctionInfo] = {}
        self.module_functions: dict[str, FunctionInfo] = {}
        self.classes: dict[str, ClassInfo] = {}
        self.calls: list[CallSite] = []  # transform and lax-loop calls, resolved
        self.purity: dict = {}  # plans.purity.judge's memo: FunctionInfo -> Purity
        # Expressions on no such line cannot hold a kept call, so the walk skips them: most of
        # a module's nodes are expressions, and walking them dominated the analysis.
        self.text = SourceText(lines) if lines is not None else None
        self._call_lines = self.text.callee_lines(_CALL_TAILS) if self.text is not None else None
        self._build(tree)

    # -- the walk ----------------------------------------------------------------------------
    def _build(self, tree: ast.Module) -> None:
        candidates: list[CallSite] = []
        # (node, enclosing function, class whose body directly holds node)
        stack: list[tuple[ast.AST, Optional[FunctionInfo], Optional[ClassInfo]]] = [
            (child, None, None) for child in reversed(tree.body)]
        while stack:
            node, scope, cls = stack.pop()
            kind = type(node)
            if kind is ast.FunctionDef or kind is ast.AsyncFunctionDef:
                info = FunctionInfo(node, scope, cls)
                self.functions.append(info)
                self.by_node[node] = info
                if cls is not None:
                    cls.methods.setdefault(node.name, info)
                elif scope is not None:
                    scope.children[node.name] = info
                else:
                    self.module_functions[node.name] = info
                for dec in node.decorator_list:
                    if self._may_hold_call(dec):
                        stack.append((dec, scope, None))
                for default in node.args.defaults + [d for d in node.args.kw_defaults if d]:
                    if self._may_hold_call(default):
                        stack.append((default, scope, None))
                for stmt in reversed(node.body):
                    stack.append((stmt, info, None))
                continue
            if kind is ast.ClassDef:
                cinfo = ClassInfo(node)
                if scope is None:
                    self.classes[node.name] = cinfo
                else:
                    self.classes.setdefault(node.name, cinfo)
                for expr in node.bases + node.keywords + node.decorator_list:
                    if not isinstance(expr, ast.expr) or self._may_hold_call(expr):
                        stack.append((expr, scope, None))
                for stmt in reversed(node.body):
                    stack.append((stmt, scope, cinfo))
                continue
            if kind is ast.Import or kind is ast.ImportFrom:
                self.imports.add(node)
                continue
            if scope is not None and not scope.judged and (
                    kind in _JUDGED_STATEMENTS
                    or kind is ast.Assign and any(map(_stores_item, node.targets))
                    or kind is ast.AugAssign and type(node.target) is ast.Subscript):
                scope.judged = True
            if kind is ast.Call:
                func = node.func
                tail = func.attr if type(func) is ast.Attribute else (
                    func.id if type(func) is ast.Name else None)
                if tail in _CALL_TAILS:
                    candidates.append(CallSite(node, scope))
            elif (kind is ast.Assign or kind is ast.AnnAssign) and scope is not None \
                    and scope.cls is not None:
                self._note_self_assign(node, scope)
            if isinstance(node, _SIMPLE_STATEMENTS) and not self._may_hold_call(node):
                continue
            for child in child_nodes(node):
                if not isinstance(child, ast.expr) or self._may_hold_call(child):
                    stack.append((child, scope, cls if kind is ast.ClassDef else None))
        for stmt in tree.body:  # module-level aliases: ``partial = functools.partial``
            if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1 \
                    and isinstance(stmt.targets[0], ast.Name) \
                    and isinstance(stmt.value, (ast.Name, ast.Attribute)):
                qual = self.imports.qualname(stmt.value)
                if qual is not None:
                    self.imports.names[stmt.targets[0].id] = qual
        for site in candidates:
            qual = self.imports.qualname(site.call.func)
            if qual in jaxapi.TRANSFORMS or qual in jaxapi.LAX_CALLS or qual in jaxapi.KERNEL_CALLS:
                site.qualname = qual
                self.calls.append(site)

    def _may_hold_call(self, expr: Union[ast.expr, ast.stmt]) -> bool:
        hot = self._call_lines
        if hot is None:
            return True
        i = bisect.bisect_left(hot, expr.lineno)
        return i < len(hot) and hot[i] <= (expr.end_lineno or expr.lineno)

    def _note_self_assign(self, node, method: FunctionInfo) -> None:
        args = method.node.args.posonlyargs + method.node.args.args
        if not args or node.value is None:
            return
        self_name = args[0].arg
        targets = node.targets if isinstance(node, ast.Assign) else [node.target]
        for target in targets:
            if (isinstance(target, ast.Attribute) and isinstance(target.value, ast.Name)
                    and target.value.id == self_name):
                method.cls.self_assigns.setdefault(target.attr, node.value)

    def release(self) -> None:
        """Break the cycles between functions, their parents and their classes, so the module's
        tree is freed by reference counting the moment the analysis is dropped (the cyclic
        collector would otherwise have to walk it). Only for an index nothing else will read."""
        for fn in list(self.by_node.values()):
            fn.parent = fn.cls = None
            fn.children = {}
        for cls in self.classes.values():
            cls.methods = {}

    def module_names(self) -> set[str]:
        """Names bound at module level (computed once)."""
        if not hasattr(self, "_module_names"):
            from .names import stores
            self._module_names = set(stores(self.tree.body))
        return self._module_names

    # -- lookups -----------------------------------------------------------------------------
    def resolve_function(self, expr: ast.AST, scope: Optional[FunctionInfo]
                         ) -> Optional[FunctionInfo]:
        """The function a reference names: ``f``, ``self.method``, ``partial(f, ...)``."""
        if isinstance(expr, ast.Name):
            fn = scope
            while fn is not None:
                if expr.id in fn.children:
                    return fn.children[expr.id]
                fn = fn.parent
            return self.module_functions.get(expr.id)
        if isinstance(expr, ast.Attribute) and isinstance(expr.value, ast.Name) \
                and scope is not None and expr.value.id == scope.self_name:
            cls = scope.method_class
            return self.method(cls, expr.attr) if cls else None
        if isinstance(expr, ast.Lambda):
            return self.lambda_info(expr, scope)
        if isinstance(expr, ast.Call) and self.imports.qualname(expr.func) == "functools.partial" \
                and expr.args:
            return self.resolve_function(expr.args[0], scope)
        return None

    def lambda_info(self, node: ast.Lambda, scope: Optional[FunctionInfo]) -> FunctionInfo:
        info = self.by_node.get(node)
        if info is None:
            info = FunctionInfo(node, scope, None)
            self.by_node[node] = info
        return info

    def method(self, cls: ClassInfo, name: str) -> Optional[FunctionInfo]:
        for c in self.mro(cls):
            if name in c.methods:
                return c.methods[name]
        return None

    def mro(self, cls: ClassInfo) -> list[ClassInfo]:
        """The class and its bases defined in this module, nearest first."""
        out, todo = [], [cls]
        while todo:
            c = todo.pop(0)
            if c in out:
                continue
            out.append(c)
            for base in c.node.bases:
                if isinstance(base, ast.Name) and base.id in self.classes:
                    todo.append(self.classes[base.id])
        return out

    def base_qualnames(self, cls: ClassInfo) -> set[str]:
        """Qualified names of all imported bases, through bases defined in this module."""
        out = set()
        for c in self.mro(cls):
            for base in c.node.bases:
                qual = self.imports.qualname(base)
                if qual:
                    out.add(qual)
        return out

    def variable_attrs(self, cls: ClassInfo) -> frozenset[str]:
        """Attributes of ``self`` assigned an nnx Variable (``nnx.Param(...)``, subclasses too)."""
        attrs = set()
        for c in self.mro(cls):
            for attr, value in c.self_assigns.items():
                if isinstance(value, ast.Call) and self.is_variable_type(value.func):
                    attrs.add(attr)
        return frozenset(attrs)

    def ref_variable_attrs(self, cls: ClassInfo) -> frozenset[str]:
        """Variables built as mutable arrays (``nnx.Variable(x, hijax=True)``, ``ref=True``): a
        ``jax.lax`` body may read and write them step by step, without TraceContextError."""
        attrs = set()
        for c in self.mro(cls):
            for attr, value in c.self_assigns.items():
                if isinstance(value, ast.Call) and self.is_variable_type(value.func) and any(
                        k.arg in ("hijax", "ref") and isinstance(k.value, ast.Constant)
                        and k.value.value is True for k in value.keywords):
                    attrs.add(attr)
        return frozenset(attrs)

    def is_variable_type(self, expr: ast.AST) -> bool:
        qual = self.imports.qualname(expr)
        if qual in jaxapi.VARIABLE_TYPES:
            return True
        if isinstance(expr, ast.Name) and expr.id in self.classes:
            cls = self.classes[expr.id]
            return bool(self.base_qualnames(cls) & jaxapi.VARIABLE_TYPES)
        return False
