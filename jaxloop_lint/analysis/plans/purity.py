"""What calling a function of this module does besides returning its result.

A step function runs its Python once, at trace time: a callee that mutates what it is handed,
module state or a default value, or does I/O, would do it once instead of once per step, and
the numbers that depend on it (a count, a log, a schedule) change silently. ``judge`` reads the
function's body, and its callees' within the module, and answers:

- ``PURE``: it provably does nothing but compute its result;
- ``IMPURE``: it provably has an effect (the reason says which): a rewrite is refused;
- ``UNKNOWN``: it calls something the module does not define, or is wrapped by a decorator
  whose code is not here: a rewrite is unsafe, its note naming the callee.

A list or dict the function builds itself (``parts = []``, ``parts = list(parts)``) may be
mutated freely: nobody else can see it. A parameter, a default value, a global or a closure
cannot. Decorators other than the JAX transforms (which keep no Python state) count as code of
their own: one whose body stores state (a call counter) makes the function impure.
"""
from __future__ import annotations

import ast
from dataclasses import dataclass
from typing import Optional

from .. import jaxapi
from ..index import FunctionInfo, ModuleIndex
from ..names import walk_statement

PURE, IMPURE, UNKNOWN = "pure", "impure", "unknown"
_MAX_DEPTH = 8

# Calls whose result is a container of the caller's own (a copy): mutating it is local.
_FRESH_CALLS = {"list", "dict", "set", "bytearray", "copy.copy", "copy.deepcopy",
                "collections.deque", "collections.OrderedDict", "collections.defaultdict",
                "collections.Counter"}
_FRESH_NODES = (ast.List, ast.Dict, ast.Set, ast.ListComp, ast.DictComp, ast.SetComp)
# Mutators that return a value: used as a value they still mutate (``v = stack.pop()``).
# The others return None, so a call whose value is used is some other API sharing the name
# (``updates, state = tx.update(g, state)``).
_VALUE_MUTATORS = {"pop", "popitem", "setdefault"}
_HARMLESS_DECORATORS = {"staticmethod", "classmethod", "property", "functools.wraps"}


@dataclass(frozen=True)
class Purity:
    kind: str
    reason: str = ""   # IMPURE: the effect; UNKNOWN: what could not be judged

    @property
    def pure(self) -> bool:
        return self.kind == PURE


_PURE = Purity(PURE)


def judge(index: ModuleIndex, fn: FunctionInfo, depth: int = 0) -> Purity:
    cache = index.purity
    if fn in cache:
        return cache[fn]
    if depth > _MAX_DEPTH:
        return Purity(UNKNOWN, "its calls go too deep to follow")
    cache[fn] = Purity(UNKNOWN, f"`{fn.name}` calls itself")  # while it is being judged
    verdict = _Judge(index, fn, depth).run()
    cache[fn] = verdict
    return verdict


def judge_call(index: ModuleIndex, scope: Optional[FunctionInfo], func: ast.expr,
               depth: int = 0) -> Optional[Purity]:
    """The purity of the module function ``func`` names from ``scope`` (a name, ``self.f``,
    a lambda, ``partial(f, ...)``, ``jax.jit(f)``), or None when it names none."""
    if isinstance(func, ast.Call) and func.args and (
            index.imports.qualname(func.func) or "") in jaxapi.TRANSFORMS:
        func = func.args[0]  # jax.jit(f)(x): the transform keeps no state, f runs
    callee = index.resolve_function(func, scope)
    if callee is None and isinstance(func, ast.Name):
        value = _module_binding(index, func.id)
        if isinstance(value, ast.Lambda):  # ``push = lambda v, buf=[]: ...`` at module level
            callee = index.lambda_info(value, None)
    return judge(index, callee, depth + 1) if callee is not None else None


def _module_binding(index: ModuleIndex, name: str) -> Optional[ast.expr]:
    """The value of the one module-level assignment of ``name``."""
    values = [stmt.value for stmt in index.tree.body if isinstance(stmt, ast.Assign)
              and any(isinstance(t, ast.Name) and t.id == name for t in stmt.targets)]
    return values[0] if len(values) == 1 else None


class _Effect(Exception):
    def __init__(self, purity: Purity) -> None:
        super().__init__(purity.reason)
        self.purity = purity


class _Judge:
    def __init__(self, index: ModuleIndex, fn: FunctionInfo, depth: int,
                 passthrough: frozenset = frozenset()) -> None:
        self.index = index
        # names whose calls are judged elsewhere: a decorator's wrapped function
        self.passthrough = passthrough
        self.imports = index.imports
        self.fn = fn
        self.depth = depth
        node = fn.node
        args = node.args
        positional = args.posonlyargs + args.args
        self.params = {a.arg for a in positional + args.kwonlyargs}
        self.params |= {a.arg for a in (args.vararg, args.kwarg) if a is not None}
        defaults = dict(zip([a.arg for a in positional][-len(args.defaults):], args.defaults)) \
            if args.defaults else {}
        defaults.update({a.arg: d for a, d in zip(args.kwonlyargs, args.kw_defaults) if d})
        self.mutable_defaults = {n for n, d in defaults.items() if self._fresh_value(d)}
        body = [node.body] if isinstance(node, ast.Lambda) else node.body
        self.body = body
        self.declared: set[str] = set()  # global / nonlocal names
        self.local: set[str] = set()     # names this function binds itself
        for stmt in body:
            for sub in walk_statement(stmt):
                if isinstance(sub, (ast.Global, ast.Nonlocal)):
                    self.declared.update(sub.names)
                elif isinstance(sub, ast.Name) and not isinstance(sub.ctx, ast.Load):
                    self.local.add(sub.id)
                elif isinstance(sub, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                    self.local.add(sub.name)
        self.local -= self.declared
        # names known to hold a Python container: a mutator called on one mutates it, whether
        # or not its value is used (``buf.append(v) or len(buf)``)
        self.containers = set(self.mutable_defaults) | module_containers(index) | {
            t.id for sub in ast.walk(node) if isinstance(sub, ast.Assign)
            and self._fresh_value(sub.value) for t in sub.targets if isinstance(t, ast.Name)}
        # calls that are statements of their own (their value unused)
        self.statement_calls = {id(s.value) for s in ast.walk(node) if isinstance(s, ast.Expr)}
        self.unknown: Optional[Purity] = None  # the first thing that could not be judged

    def run(self) -> Purity:
        try:
            self._decorators()
            self._rebound()
            if isinstance(self.fn.node, ast.Lambda):
                self._expr(self.fn.node.body, frozenset())
            else:
                self._block(self.body, frozenset())
        except _Effect as effect:
            return effect.purity
        return self.unknown or _PURE

    # -- verdicts --------------------------------------------------------------------------
    def _impure(self, reason: str) -> None:
        raise _Effect(Purity(IMPURE, reason))

    def _unknown(self, reason: str) -> None:
        if self.unknown is None:
            self.unknown = Purity(UNKNOWN, reason)

    def _owner(self, name: str) -> str:
        """Whose object ``name`` holds, for a reason."""
        if name in self.mutable_defaults:
            return f"its default value `{name}`"
        if name in self.params:
            return f"its argument `{name}`"
        if name in self.declared or name not in self.local:
            return f"`{name}`, which outlives the call"
        return f"`{name}`, which may be shared"

    # -- decorators ------------------------------------------------------------------------
    def _decorators(self) -> None:
        for dec in getattr(self.fn.node, "decorator_list", ()):
            func = dec.func if isinstance(dec, ast.Call) else dec
            qual = self.imports.qualname(func) or (
                func.id if isinstance(func, ast.Name) and func.id not in
                self.index.module_names() else None)
            if qual == "functools.partial" and isinstance(dec, ast.Call) and dec.args:
                qual = self.imports.qualname(dec.args[0])
            if qual in jaxapi.TRANSFORMS or qual in _HARMLESS_DECORATORS:
                continue
            shown = ast.unparse(dec)
            decorator = self.index.resolve_function(func, self.fn.parent)
            if decorator is not None and not isinstance(dec, ast.Call):
                if _keeps_state(decorator.node):
                    self._impure(f"is wrapped by `@{shown}`, which keeps state between calls")
                found = _decorator_purity(self.index, decorator, self.depth)
                if found.kind == IMPURE:
                    self._impure(f"is wrapped by `@{shown}`, which {found.reason}")
                if found.pure:
                    continue
            self._unknown(f"is wrapped by `@{shown}`")

    def _rebound(self) -> None:
        """``cell = counted(cell)``: a decorator applied by hand, where ``cell`` is defined."""
        fn = self.fn
        if isinstance(fn.node, ast.Lambda):
            return
        scope = fn.parent.node.body if fn.parent is not None else self.index.tree.body
        for stmt in scope:
            for sub in walk_statement(stmt):
                if not (isinstance(sub, ast.Assign) and any(
                        isinstance(t, ast.Name) and t.id == fn.name for t in sub.targets)):
                    continue
                value = sub.value
                func = value.func if isinstance(value, ast.Call) else None
                if func is not None and (self.imports.qualname(func) or "") in jaxapi.TRANSFORMS:
                    continue
                shown = ast.unparse(sub)
                wrapper = self.index.resolve_function(func, fn.parent) if func else None
                if wrapper is not None and _keeps_state(wrapper.node):
                    self._impure(f"is wrapped by `{shown}`, which keeps state between calls")
                self._unknown(f"is rebound by `{shown}`")

    # -- statements ------------------------------------------------------------------------
    def _block(self, stmts, fresh: frozenset) -> frozenset:
        for stmt in stmts:
            fresh = self._stmt(stmt, fresh)
        return fresh

    def _stmt(self, stmt: ast.stmt, fresh: frozenset) -> frozenset:
        kind = type(stmt)
        if kind is ast.Assign:
            self._expr(stmt.value, fresh)
            for target in stmt.targets:
                fresh = self._bind(target, stmt.value, fresh)
            return fresh
        if kind is ast.AnnAssign:
            if stmt.value is not None:
                self._expr(stmt.value, fresh)
                return self._bind(stmt.target, stmt.value, fresh)
            return fresh
        if kind is ast.AugAssign:
            self._expr(stmt.value, fresh)
            target = stmt.target
            if isinstance(target, ast.Name):
                name = target.id
                if name in self.declared:
                    self._impure(f"rebinds `{name}`, a name outside the function "
                                 "(`global` / `nonlocal`)")
                if name not in fresh and (name in self.mutable_defaults or (
                        name not in self.local or name in self.params)
                        and self._fresh_value(stmt.value)):
                    # ``buf += [v]`` extends the list in place: the caller's, or the default
                    self._impure(f"grows {self._owner(name)} in place "
                                 f"(`{ast.unparse(stmt)}`)")
                return fresh if name in fresh else fresh - {name}
            self._store(target, stmt, fresh)
            return fresh
        if kind is ast.Delete:
            for target in stmt.targets:
                if isinstance(target, ast.Name):
                    fresh = fresh - {target.id}
                else:
                    self._store(target, stmt, fresh)
            return fresh
        if kind is ast.If:
            self._expr(stmt.test, fresh)
            return self._block(stmt.body, fresh) & self._block(stmt.orelse, fresh)
        if kind in (ast.For, ast.AsyncFor, ast.While):
            if kind is ast.While:
                self._expr(stmt.test, fresh)
            else:
                self._expr(stmt.iter, fresh)
                fresh = self._bind(stmt.target, None, fresh)
            inside = self._block(stmt.body, fresh)
            inside = self._block(stmt.body, fresh & inside)  # what a second step sees
            return self._block(stmt.orelse, fresh & inside) & fresh
        if kind in (ast.With, ast.AsyncWith):
            for item in stmt.items:
                self._expr(item.context_expr, fresh)
                if item.optional_vars is not None:
                    fresh = self._bind(item.optional_vars, None, fresh)
            return self._block(stmt.body, fresh)
        if kind in (ast.Try, getattr(ast, "TryStar", ast.Try)):
            after = self._block(stmt.body, fresh)
            for handler in stmt.handlers:
                after &= self._block(handler.body, fresh & after)
            after = self._block(stmt.orelse, after)
            return self._block(stmt.finalbody, after & fresh)
        if kind is ast.Match:
            self._expr(stmt.subject, fresh)
            out = fresh
            for case in stmt.cases:
                out &= self._block(case.body, fresh)
            return out
        if kind in (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef):
            for expr in getattr(stmt, "decorator_list", []):
                self._expr(expr, fresh)
            return fresh - {stmt.name}  # judged where it is called
        if kind in (ast.Import, ast.ImportFrom):
            self._unknown("imports a module when called")
            return fresh
        if kind in (ast.Global, ast.Nonlocal, ast.Pass, ast.Break, ast.Continue):
            return fresh
        for child in ast.iter_child_nodes(stmt):  # Expr, Return, Raise, Assert
            if isinstance(child, ast.expr):
                self._expr(child, fresh)
        return fresh

    def _bind(self, target: ast.expr, value: Optional[ast.expr], fresh: frozenset) -> frozenset:
        if isinstance(target, ast.Name):
            if target.id in self.declared:
                self._impure(f"rebinds `{target.id}`, a name outside the function "
                             "(`global` / `nonlocal`)")
            if value is not None and self._fresh_value(value):
                return fresh | {target.id}
            return fresh - {target.id}
        if isinstance(target, (ast.Tuple, ast.List)):
            for elt in target.elts:
                fresh = self._bind(elt, None, fresh)
            return fresh
        if isinstance(target, ast.Starred):
            return self._bind(target.value, None, fresh)
        self._store(target, None, fresh)
        return fresh

    def _store(self, target: ast.expr, stmt: Optional[ast.stmt], fresh: frozenset) -> None:
        """``x.a = v`` / ``x[k] = v`` / ``del x[k]``: an effect unless ``x`` is the function's
        own new container."""
        self._expr(target, fresh)
        root = _root(target)
        if root is not None and root in fresh:
            return
        shown = ast.unparse(stmt if stmt is not None else target)
        if root is None:
            self._impure(f"stores into `{ast.unparse(target)}`")
        what = "an attribute of" if isinstance(target, ast.Attribute) else "into"
        self._impure(f"stores {what} {self._owner(root)} (`{shown}`)")

    # -- expressions -----------------------------------------------------------------------
    def _expr(self, expr: Optional[ast.expr], fresh: frozenset) -> None:
        if expr is None:
            return
        for node in ast.walk(expr):  # lambdas included: they may run inside the call
            if isinstance(node, (ast.Yield, ast.YieldFrom, ast.Await)):
                self._impure("is a generator or coroutine: calling it runs nothing")
            elif isinstance(node, ast.Call):
                self._call(node, fresh, statement=id(node) in self.statement_calls)

    def _call(self, call: ast.Call, fresh: frozenset, statement: bool) -> None:
        func = call.func
        shown = ast.unparse(func)
        qual = self.imports.qualname(func)
        if isinstance(func, ast.Name) and func.id in self.passthrough \
                or qual in _HARMLESS_DECORATORS:
            return
        if qual is not None:
            if qual.startswith(jaxapi.EFFECT_PREFIXES):
                self._impure(f"calls `{shown}`")
            if qual.startswith(jaxapi.PURE_PREFIXES) or qual.startswith("numpy.") \
                    or qual in jaxapi.TRANSFORMS or qual == "functools.partial":
                return
            self._unknown(f"calls `{shown}`")
            return
        if isinstance(func, ast.Name) and func.id not in self.local \
                and func.id not in self.index.module_names():
            if func.id in jaxapi.EFFECT_BUILTINS:
                self._impure(f"calls `{func.id}()`")
            if func.id in jaxapi.PURE_BUILTINS or func.id in _FRESH_CALLS:
                return
        if isinstance(func, ast.Attribute):
            holder = func.value
            if _is_at(holder):
                return  # x.at[i].add(v): a new array
            root = _root(holder)
            mutates = func.attr in _VALUE_MUTATORS or func.attr in jaxapi.PYTHON_MUTATORS and (
                statement or root in self.containers)
            if mutates:
                if root is not None and root in fresh:
                    return
                self._impure(f"mutates {self._owner(root) if root else shown} "
                             f"(`{ast.unparse(call)}`)")
            if func.attr in jaxapi.ARRAY_METHODS:
                return
        found = judge_call(self.index, self.fn, func, self.depth)
        if found is None and statement and isinstance(func, ast.Attribute):
            root = _root(func.value)
            if root is None or root not in fresh:
                self._impure(f"calls `{shown}` for its effect on "
                             f"{self._owner(root) if root else ast.unparse(func.value)} "
                             "(its value is not used)")
        if found is None:
            self._unknown(f"calls `{shown}`")
        elif found.kind == IMPURE:
            self._impure(f"calls `{shown}`, which {found.reason}")
        elif found.kind == UNKNOWN:
            self._unknown(f"calls `{shown}`, which {found.reason}")

    def _fresh_value(self, value: Optional[ast.expr]) -> bool:
        """A container made on the spot: ``[]``, ``{}``, ``[x, y]``, ``list(xs)``, a copy."""
        if isinstance(value, _FRESH_NODES):
            return True
        if isinstance(value, ast.Call):
            func = value.func
            qual = self.imports.qualname(func)
            if qual in _FRESH_CALLS:
                return True
            if isinstance(func, ast.Name) and func.id in _FRESH_CALLS \
                    and func.id not in self.index.module_names():
                return True
            return isinstance(func, ast.Attribute) and func.attr == "copy" and not value.args
        return False


def _decorator_purity(index: ModuleIndex, decorator: FunctionInfo, depth: int) -> Purity:
    """A decorator of the module, ``def named(fn): ... return wrapper``: pure when its own code
    and the wrappers it returns do nothing but call ``fn`` (judged on its own, where it is
    defined) and compute."""
    node = decorator.node
    params = [a.arg for a in node.args.posonlyargs + node.args.args]
    if isinstance(node, ast.Lambda) or not params:
        return Purity(UNKNOWN, "is not a plain decorator")
    through = frozenset(params[:1])
    found = _Judge(index, decorator, depth + 1, through).run()
    if not found.pure:
        return found
    for ret in (n for n in walk_statement(ast.Module(node.body, [])) if isinstance(n, ast.Return)):
        value = ret.value
        if isinstance(value, ast.Name) and value.id in through:
            continue  # returns the function itself
        wrapper = decorator.children.get(value.id) if isinstance(value, ast.Name) else None
        if wrapper is None:
            return Purity(UNKNOWN, f"returns `{ast.unparse(value) if value else 'None'}`")
        found = _Judge(index, wrapper, depth + 1, through).run()
        if not found.pure:
            return found
    return _PURE


def module_containers(index: ModuleIndex) -> set[str]:
    """Module-level names bound to a Python container literal (``LOG = []``), computed once."""
    found = getattr(index, "_containers", None)
    if found is None:
        found = {t.id for stmt in index.tree.body if isinstance(stmt, ast.Assign)
                 and isinstance(stmt.value, _FRESH_NODES) for t in stmt.targets
                 if isinstance(t, ast.Name)}
        index._containers = found
    return found


def _keeps_state(node: ast.AST) -> bool:
    """A decorator whose code (wrappers included) stores into an attribute, an item or an
    outer name, or mutates a container: its wrapper remembers something between calls."""
    for sub in ast.walk(node):
        if isinstance(sub, (ast.Attribute, ast.Subscript)) and isinstance(
                sub.ctx, (ast.Store, ast.Del)):
            return True
        if isinstance(sub, (ast.Global, ast.Nonlocal)):
            return True
        if isinstance(sub, ast.Call) and isinstance(sub.func, ast.Attribute) \
                and sub.func.attr in jaxapi.PYTHON_MUTATORS and not _is_at(sub.func.value):
            return True
    return False


def _is_at(expr: ast.expr) -> bool:
    """``x.at[i]``."""
    return isinstance(expr, ast.Subscript) and isinstance(expr.value, ast.Attribute) \
        and expr.value.attr == "at"


def _root(expr: ast.expr) -> Optional[str]:
    while isinstance(expr, (ast.Attribute, ast.Subscript, ast.Starred)):
        expr = expr.value
    return expr.id if isinstance(expr, ast.Name) else None
