"""The dataflow walk over one traced function: values of names statement by statement, the loop
model of every loop, and the facts the accumulation rules read (appends, growth, stacking,
in-place writes, calls into other functions of the module)."""
from __future__ import annotations

import ast
from dataclasses import dataclass, field
from typing import Callable, Optional, Union

from . import jaxapi
from .index import FunctionInfo, ModuleIndex
from .loops import LoopKind, LoopModel, classify_for, classify_while
from .values import ARRAY, PYTREE, STATIC, UNKNOWN, Evaluator, Kind, Val, join_all


@dataclass(eq=False)
class AppendFact:
    node: ast.AST           # the call ``outs.append(h)`` or the statement ``outs += [h]``
    list_name: str
    method: str             # append / extend / +=
    value: Val
    loop: LoopModel


@dataclass(eq=False)
class GrowFact:
    call: ast.Call          # ``jnp.concatenate([acc, x])``
    func: str               # as the user spelled it
    name: str               # ``acc``
    loop: LoopModel


@dataclass(eq=False)
class StackFact:
    call: ast.Call
    list_name: str


@dataclass(eq=False)
class ItemAssignFact:
    stmt: Union[ast.Assign, ast.AugAssign]
    target: ast.Subscript
    name: str
    value: Val              # of the array written into
    index: Val              # of the subscript


@dataclass(eq=False)
class CallFact:
    callee: FunctionInfo
    args: list[Val]
    keywords: dict[str, Val]


@dataclass(eq=False)
class FunctionFacts:
    function: FunctionInfo
    loops: list[LoopModel] = field(default_factory=list)
    appends: list[AppendFact] = field(default_factory=list)
    grows: list[GrowFact] = field(default_factory=list)
    stacks: list[StackFact] = field(default_factory=list)
    item_assigns: list[ItemAssignFact] = field(default_factory=list)
    calls: list[CallFact] = field(default_factory=list)
    env: dict[str, Val] = field(default_factory=dict)  # names' values at the end


def _name_of(expr: ast.AST) -> Optional[str]:
    """``outs`` in ``outs``, ``outs[::-1]``, ``reversed(outs)``, ``list(outs)``."""
    while True:
        if isinstance(expr, ast.Name):
            return expr.id
        if isinstance(expr, ast.Subscript):
            expr = expr.value
        elif isinstance(expr, ast.Call) and isinstance(expr.func, ast.Name) \
                and expr.func.id in ("reversed", "list", "tuple") and expr.args:
            expr = expr.args[0]
        elif isinstance(expr, ast.Starred):
            expr = expr.value
        else:
            return None


class FlowWalker(Evaluator):
    def __init__(self, index: ModuleIndex, function: FunctionInfo, params: dict[str, Val],
                 lookup: Callable[[str], Optional[Val]]) -> None:
        cls = function.method_class
        super().__init__(index.imports, dict(params), lookup, function.self_name,
                         index.variable_attrs(cls) if cls else frozenset())
        self.index = index
        self.facts = FunctionFacts(function)
        self.loop: Optional[LoopModel] = None
        self.recording = True

    def run(self) -> FunctionFacts:
        node = self.facts.function.node
        if isinstance(node, ast.Lambda):
            self(node.body)
        else:
            self.block(node.body)
        self.facts.env = self.env
        return self.facts

    def __call__(self, expr):
        val = super().__call__(expr)
        if val.kind >= Kind.PYTREE and self.recording:
            loop = self.loop
            while loop is not None and not loop.traced_work:
                loop.traced_work = True
                loop = loop.parent
        return val

    # -- statements --------------------------------------------------------------------------
    def block(self, stmts: list[ast.stmt]) -> None:
        for stmt in stmts:
            method = getattr(self, "s_" + type(stmt).__name__, None)
            if method is not None:
                method(stmt)

    def s_Expr(self, s):
        self(s.value)

    def s_Return(self, s):
        self(s.value)

    def s_Raise(self, s):
        self(s.exc)

    def s_Assert(self, s):
        self(s.test)

    def s_Assign(self, s):
        val = self(s.value)
        for target in s.targets:
            self.bind(target, val, s.value, s)
        self._note_growth(s.targets, s.value)

    def s_AnnAssign(self, s):
        if s.value is not None:
            val = self(s.value)
            self.bind(s.target, val, s.value, s)
            self._note_growth([s.target], s.value)

    def s_AugAssign(self, s):
        val = self(s.value)
        target = s.target
        if isinstance(target, ast.Name):
            old = self.name(target.id)
            if isinstance(s.op, ast.Add) and old.array is False \
                    and isinstance(s.value, (ast.List, ast.Tuple)):
                # ``outs += [h]``: a Python list growing by one traced element
                self._note_append(s, target.id, "+=", join_all(self(e) for e in s.value.elts))
                return
            self.env[target.id] = old.join(val) if old.kind >= Kind.PYTREE else _arith_join(
                old, val)
        elif isinstance(target, ast.Subscript):
            self._note_item_assign(s, target, val)
        self._note_growth([target], s.value)

    def s_For(self, s):
        kind, subject, traced = classify_for(s, self)
        loop = self._open_loop(s, kind, subject, traced)
        if kind is LoopKind.ARRAY:
            parts = subject.value if isinstance(subject, ast.Starred) else subject
            loop.assumed_array = self(parts).array is None
        element = self._element(s.iter)
        # Two passes: the first only settles loop-carried values (acc = 0.0 becomes traced).
        for recording in (False, True):
            self.bind(s.target, element, None, s)
            self._loop_body(s.body, loop, recording)
        self.block(s.orelse)

    s_AsyncFor = s_For

    def s_While(self, s):
        saved = self.recording
        self.recording = False
        self.block(s.body)  # settle loop-carried values before judging the test
        self.recording = saved
        kind, subject = classify_while(s.test, self)
        loop = self._open_loop(s, kind, subject, None)
        self._loop_body(s.body, loop, True)
        self.block(s.orelse)

    def s_If(self, s):
        self(s.test)
        before = dict(self.env)
        self.block(s.body)
        after_body = self.env
        self.env = dict(before)
        self.block(s.orelse)
        for name, val in after_body.items():
            other = self.env.get(name)
            self.env[name] = val if other is None else other.join(val)

    def s_With(self, s):
        for item in s.items:
            self(item.context_expr)
            if item.optional_vars is not None:
                self.bind(item.optional_vars, UNKNOWN, None, s)
        self.block(s.body)

    s_AsyncWith = s_With

    def s_Try(self, s):
        self.block(s.body)
        for handler in s.handlers:
            self.block(handler.body)
        self.block(s.orelse)
        self.block(s.finalbody)

    s_TryStar = s_Try

    def s_Match(self, s):
        self(s.subject)
        for case in s.cases:
            self.block(case.body)

    def s_FunctionDef(self, s):
        self.env[s.name] = STATIC

    s_AsyncFunctionDef = s_ClassDef = s_FunctionDef

    def s_Import(self, s):
        for alias in s.names:
            self.env[(alias.asname or alias.name).split(".")[0]] = STATIC

    s_ImportFrom = s_Import

    # -- binding -----------------------------------------------------------------------------
    def bind(self, target: ast.AST, val, value: Optional[ast.AST], stmt: ast.AST) -> None:
        """Bind ``target`` to ``val`` (a ``Val``, or a tuple of them from ``_element``)."""
        if isinstance(val, tuple):
            if isinstance(target, (ast.Tuple, ast.List)) and len(target.elts) == len(val) \
                    and not any(isinstance(e, ast.Starred) for e in target.elts):
                for t, v in zip(target.elts, val):
                    self.bind(t, v, None, stmt)
                return
            val = Val(join_all(_flat(val)).kind, False)
        if isinstance(target, ast.Name):
            self.env[target.id] = val
        elif isinstance(target, (ast.Tuple, ast.List)):
            if isinstance(value, (ast.Tuple, ast.List)) and len(value.elts) == len(target.elts) \
                    and not any(isinstance(e, ast.Starred) for e in target.elts):
                for t, v in zip(target.elts, value.elts):
                    self.bind(t, self(v), v, stmt)
            else:
                part = _unpacked(val)
                for t in target.elts:
                    self.bind(t.value if isinstance(t, ast.Starred) else t, part, None, stmt)
        elif isinstance(target, ast.Starred):
            self.bind(target.value, val, None, stmt)
        elif isinstance(target, ast.Subscript) and isinstance(stmt, ast.Assign):
            self._note_item_assign(stmt, target, val)

    def _element(self, iterable: ast.expr):
        """The value bound to the loop target: a ``Val``, or a tuple of them for ``zip`` and
        ``enumerate`` so that ``for i, x in enumerate(xs)`` keeps ``i`` static."""
        if isinstance(iterable, ast.Call) and isinstance(iterable.func, ast.Name) \
                and iterable.func.id in ("range", "enumerate", "zip", "reversed") \
                and iterable.args and self.is_builtin(iterable.func.id):
            name = iterable.func.id
            if name == "range":
                bound = join_all(self(a) for a in iterable.args)
                return bound if bound.kind is Kind.TRACED else STATIC
            if name == "reversed":
                return self._element(iterable.args[0])
            if name == "enumerate":
                return (STATIC, self._element(iterable.args[0]))
            return tuple(self._element(a) for a in iterable.args)
        val = self(iterable)
        if val.array:
            return ARRAY
        if val.kind >= Kind.PYTREE:
            return PYTREE
        return Val(val.kind, None) if val.kind > Kind.SHAPE else STATIC

    # -- loops -------------------------------------------------------------------------------
    def _open_loop(self, node, kind: LoopKind, subject, traced) -> LoopModel:
        loop = LoopModel(node, kind, subject, traced, self.loop)
        if self.recording:
            self.facts.loops.append(loop)
            if self.loop is not None:
                self.loop.children.append(loop)
        return loop

    def _loop_body(self, body, loop: LoopModel, recording: bool) -> None:
        saved_loop, saved_recording = self.loop, self.recording
        self.loop, self.recording = loop, saved_recording and recording
        before = dict(self.env)
        self.block(body)
        for name, val in before.items():  # a loop may run zero times
            self.env[name] = self.env.get(name, val).join(val)
        if self.recording:
            loop.env_after = dict(self.env)
        self.loop, self.recording = saved_loop, saved_recording

    # -- facts -------------------------------------------------------------------------------
    def _note_append(self, node, list_name: str, method: str, value: Val) -> None:
        if self.recording and self.loop is not None:
            self.facts.appends.append(AppendFact(node, list_name, method, value, self.loop))

    def _note_item_assign(self, stmt, target: ast.Subscript, value: Val) -> None:
        if self.recording and isinstance(target.value, ast.Name):
            base = self.name(target.value.id)
            self.facts.item_assigns.append(ItemAssignFact(stmt, target, target.value.id, base,
                                                          self(target.slice)))

    def _note_growth(self, targets, value: ast.AST) -> None:
        if not (self.recording and self.loop is not None and isinstance(value, ast.Call)):
            return
        qual = self.imports.qualname(value.func)
        if qual not in jaxapi.GROWERS or not value.args:
            return
        first = value.args[0]
        pieces = first.elts if isinstance(first, (ast.List, ast.Tuple)) else [first]
        grown = {p.id for p in pieces if isinstance(p, ast.Name)}
        for target in targets:
            if isinstance(target, ast.Name) and target.id in grown:
                self.facts.grows.append(GrowFact(value, ast.unparse(value.func), target.id,
                                                 self.loop))

    def _Call(self, e):
        func = e.func
        if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) \
                and func.attr in ("append", "extend") and len(e.args) == 1:
            holder = self.name(func.value.id)
            if holder.array is False and holder.kind <= Kind.UNKNOWN \
                    or func.value.id not in self.env:
                value = self(e.args[0])
                if func.attr == "extend":
                    value = Val(value.kind, None)
                self._note_append(e, func.value.id, func.attr, value)
                return STATIC
        if self.recording:
            qual = self.imports.qualname(func)
            if qual in jaxapi.STACKERS and e.args:
                arg = e.args[-1] if qual.startswith("jax.tree") else e.args[0]
                name = _name_of(arg)
                if name is not None:
                    self.facts.stacks.append(StackFact(e, name))
            callee = None if qual else self.index.resolve_function(func, self.facts.function)
            if callee is not None and not isinstance(callee.node, ast.Lambda):
                self.facts.calls.append(CallFact(
                    callee, [self(a) for a in e.args],
                    {k.arg: self(k.value) for k in e.keywords if k.arg}))
        return super()._Call(e)


def _flat(vals):
    for v in vals:
        if isinstance(v, tuple):
            yield from _flat(v)
        else:
            yield v


def _unpacked(val: Val) -> Val:
    """The value of one name in ``a, b = <val>``."""
    if val.kind >= Kind.PYTREE:
        return Val(val.kind, None)
    return Val(val.kind, False) if val.kind <= Kind.SHAPE else UNKNOWN


def _arith_join(old: Val, new: Val) -> Val:
    joined = old.join(new)
    return ARRAY if joined.kind >= Kind.PYTREE else Val(joined.kind, False)
