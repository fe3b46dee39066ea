"""Walks a function's statements with abstract values: the environment before every loop, at
every loop's head (any iteration), and after one execution of a loop body.

One pass over the function, plus a few passes over each loop body until its head environment
stops changing (a fact that differs between iterations becomes unknown, so each fact changes at
most once or twice). A nested loop is walked again only when its entry environment changed.
"""
from __future__ import annotations

import ast
from dataclasses import dataclass, field
from typing import Callable, Optional

from ..imports import ImportMap
from ..walk import child_nodes, walk
from .exprs import Evaluator, truth
from .value import UNKNOWN, AbsVal, Kind, forget_contents, holds_mutable, join, summary

Env = dict[str, AbsVal]
# A safety net, not the algorithm: a loop whose head still changes after this many passes has
# every changed name set to unknown (then it is stable).
_MAX_PASSES = 12

_SCOPES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)
# Context managers that neither swallow exceptions nor change dtypes.
_PLAIN_CONTEXTS = ("jax.named_scope", "jax.default_matmul_precision", "jax.default_device",
                   "jax.ensure_compile_time_eval", "jax.disable_jit", "jax.checking_leaks",
                   "jax.debug_nans", "jax.debug_infs", "jax.log_compiles", "jax.profiler.",
                   "jax.sharding.", "jax.set_mesh", "jax.numpy_rank_promotion",
                   "jax.numpy_dtype_promotion", "flax.linen.partitioning.",
                   "flax.linen.logical_axis_rules", "flax.nnx.", "contextlib.nullcontext",
                   "numpy.errstate")


@dataclass
class LoopRecord:
    start: Env                 # before the first iteration (after the iterable is evaluated)
    head: Env                  # at the top of any iteration, and after the loop ends normally
    element: AbsVal = UNKNOWN  # what a ``for`` binds to its target on each iteration
    exit: Optional[Env] = None  # after the loop statement (its else, its breaks); None: never


@dataclass
class _Targets:
    breaks: list = field(default_factory=list)
    continues: list = field(default_factory=list)


def join_env(a: Optional[Env], b: Optional[Env], widen: bool = False) -> Optional[Env]:
    """Both paths' values (None: a path that never gets here). A name bound on one path only
    keeps that path's value: on the other, reading it raises."""
    if a is None:
        return None if b is None else dict(b)
    if b is None:
        return dict(a)
    out = dict(a)
    for name, v in b.items():
        old = out.get(name)
        out[name] = v if old is None else join(old, v, widen)
    return out


def _copy(env: Optional[Env]) -> Optional[Env]:
    return None if env is None else dict(env)


def _assigned(stmts, declared: Optional[set] = None, nested: Optional[list] = None) -> set[str]:
    """Names bound anywhere in these statements (not inside nested scopes). ``declared``
    collects names of global / nonlocal statements, ``nested`` the nested scopes."""
    out: set[str] = set()
    todo = list(stmts)
    while todo:
        node = todo.pop()
        kind = type(node)
        if kind is ast.Name:
            if type(node.ctx) is not ast.Load:
                out.add(node.id)
            continue
        if kind in (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef):
            out.add(node.name)
            todo.extend(node.decorator_list)
            if nested is not None:
                nested.append(node)
            continue
        if kind is ast.Lambda:
            continue
        if kind in (ast.Global, ast.Nonlocal):
            if declared is not None:
                declared.update(node.names)
            continue
        if kind is ast.ExceptHandler and node.name:
            out.add(node.name)
        elif kind in (ast.MatchAs, ast.MatchStar) and node.name:
            out.add(node.name)
        elif kind is ast.MatchMapping and node.rest:
            out.add(node.rest)
        todo.extend(child_nodes(node))
    return out


def scope_facts(fn: ast.AST) -> tuple[frozenset, frozenset]:
    """(names the function binds, names that are volatile: declared global / nonlocal here, or
    declared nonlocal by a nested function, which may rebind them whenever it is called)."""
    body = fn.body if isinstance(fn.body, list) else [fn.body]
    volatile: set[str] = set()
    nested: list = []
    local = _assigned(body, volatile, nested)
    for inner in nested:  # rare: walk nested scopes only for their nonlocal statements
        for node in walk(inner):
            if type(node) is ast.Nonlocal:
                volatile.update(node.names)
    return frozenset(local), frozenset(volatile)


class Walker:
    def __init__(self, ev: Evaluator, recording: bool = True,
                 targets: frozenset = frozenset()) -> None:
        self.ev = ev
        self.recording = recording
        self.targets = targets
        self.loops: dict[ast.AST, LoopRecord] = {}
        self.before: dict[ast.AST, Env] = {}
        self._stack: list[_Targets] = []
        self._memo: dict[ast.AST, tuple[Env, Optional[Env]]] = {}
        self.passes = 0  # loop-body walks, for the cost figures

    # -- blocks ------------------------------------------------------------------------------
    def block(self, stmts: list[ast.stmt], env: Optional[Env]) -> Optional[Env]:
        for stmt in stmts:
            if env is None:
                return None
            env = self.stmt(stmt, env)
        return env

    def stmt(self, s: ast.stmt, env: Env) -> Optional[Env]:
        if self.recording and s in self.targets:
            self.before[s] = dict(env)
        method = getattr(self, "s_" + type(s).__name__, None)
        self.ev.env = env
        if method is None:
            return env
        return method(s, env)

    def expr(self, node: Optional[ast.AST], env: Env) -> AbsVal:
        self.ev.env = env
        return self.ev(node)

    # -- simple statements -------------------------------------------------------------------
    def s_Expr(self, s, env):
        self.expr(s.value, env)
        return self.ev.env

    def s_Assign(self, s, env):
        v = self.expr(s.value, env)
        for t in s.targets:
            self.ev.bind(t, v)
        return self.ev.env

    def s_AnnAssign(self, s, env):
        if s.value is not None:
            v = self.expr(s.value, env)
            self.ev.bind(s.target, v)
        return self.ev.env

    def s_AugAssign(self, s, env):
        ev = self.ev
        op = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/", ast.FloorDiv: "//",
              ast.Mod: "%", ast.Pow: "**", ast.BitAnd: "&", ast.BitOr: "|", ast.BitXor: "^",
              ast.LShift: "<<", ast.RShift: ">>", ast.MatMult: "@"}[type(s.op)]
        target = s.target
        if isinstance(target, ast.Name):
            v = self.expr(s.value, env)
            old = ev.name(target.id)
            if old.kind is Kind.LIST and op in ("+", "*"):
                # ``outs += [h]`` mutates the list in place
                new = ev._extended(old, v) if op == "+" else ev.binop("*", old, v)
                ev.mutated(target.id, new)
            else:
                ev.bind(target, ev.binop(op, old, v))
        elif isinstance(target, ast.Subscript):
            old = self.expr(target, env)
            v = ev(s.value)
            ev.store_item(target, ev.binop(op, old, v))
        else:
            self.expr(target.value, env)
            ev(s.value)
            ev.invalidate()  # ``obj.items += [x]`` may mutate a list we hold
        return ev.env

    def s_Return(self, s, env):
        self.expr(s.value, env)
        return None

    def s_Raise(self, s, env):
        self.expr(s.exc, env)
        return None

    def s_Assert(self, s, env):
        t = truth(self.expr(s.test, env))
        return None if t is False else self.ev.env

    def s_Delete(self, s, env):
        for t in s.targets:
            if isinstance(t, ast.Name):
                env[t.id] = UNKNOWN
            elif isinstance(t, ast.Subscript):
                base = self.expr(t.value, env)
                self.ev(t.slice)
                if isinstance(t.value, ast.Name) and base.kind is Kind.LIST:
                    self.ev.mutated(t.value.id, summary(Kind.LIST, base.element()
                                                        if base.length != 0 else None))
                elif base.kind not in (Kind.DICT, Kind.ARRAY, Kind.TUPLE):
                    self.ev.invalidate()
        return self.ev.env

    def s_FunctionDef(self, s, env):
        for d in s.decorator_list:
            self.expr(d, env)
        env[s.name] = UNKNOWN
        return env

    s_AsyncFunctionDef = s_ClassDef = s_FunctionDef

    def s_Import(self, s, env):
        return env  # import aliases resolve through the ImportMap

    s_ImportFrom = s_Import

    def s_Break(self, s, env):
        if self._stack:
            self._stack[-1].breaks.append(env)
        return None

    def s_Continue(self, s, env):
        if self._stack:
            self._stack[-1].continues.append(env)
        return None

    # -- branches ----------------------------------------------------------------------------
    def s_If(self, s, env):
        t = truth(self.expr(s.test, env))
        env = self.ev.env
        if t is True:
            return self.block(s.body, env)
        if t is False:
            return self.block(s.orelse, env)
        a = self.block(s.body, dict(env))
        b = self.block(s.orelse, dict(env))
        return join_env(a, b)

    def s_Match(self, s, env):
        self.expr(s.subject, env)
        env = self.ev.env
        out: Optional[Env] = dict(env)  # no case matched
        for case in s.cases:
            branch = dict(env)
            for name in _assigned([case.pattern]):
                branch[name] = UNKNOWN
            if case.guard is not None:
                self.expr(case.guard, branch)
                branch = self.ev.env
            out = join_env(out, self.block(case.body, branch))
        return out

    def s_With(self, s, env):
        plain = True
        for item in s.items:
            self.expr(item.context_expr, env)
            env = self.ev.env
            if not self._plain_context(item.context_expr):
                plain = False
            if item.optional_vars is not None:
                self.ev.bind(item.optional_vars, UNKNOWN)
        if plain:
            return self.block(s.body, env)
        # The context may swallow an exception raised anywhere in the body.
        out = self.block(s.body, dict(env))
        return join_env(out, self._after_partial(env, s.body))

    s_AsyncWith = s_With

    def _plain_context(self, expr: ast.expr) -> bool:
        call = expr.func if isinstance(expr, ast.Call) else expr
        if isinstance(call, ast.Name) and call.id == "open" and self.ev.is_builtin("open"):
            return True
        qual = self.ev.qualname(call)
        return qual is not None and qual.startswith(_PLAIN_CONTEXTS) and "x64" not in qual

    def _mark(self) -> Optional[tuple[int, int]]:
        if not self._stack:
            return None
        return len(self._stack[-1].breaks), len(self._stack[-1].continues)

    def _forget_since(self, mark, stmts) -> None:
        """break / continue environments recorded since ``mark`` pass through ``stmts`` (a
        finally block) first: what it binds is unknown in them."""
        if mark is None or not self._stack:
            return
        top = self._stack[-1]
        names = _assigned(stmts)
        for lst, start in ((top.breaks, mark[0]), (top.continues, mark[1])):
            for i in range(start, len(lst)):
                lst[i] = {k: (UNKNOWN if k in names else v) for k, v in lst[i].items()}

    def _after_partial(self, env: Env, stmts) -> Env:
        """The environment after some unknown prefix of ``stmts`` ran."""
        out = {k: forget_contents(v) if holds_mutable(v) else v for k, v in env.items()}
        for name in _assigned(stmts):
            out[name] = UNKNOWN
        return out

    def s_Try(self, s, env):
        mark = self._mark()
        body_out = self.block(s.body, dict(env))
        normal = self.block(s.orelse, body_out) if body_out is not None else None
        partial = self._after_partial(env, s.body)  # an exception somewhere in the body
        for handler in s.handlers:
            entry = dict(partial)
            if handler.type is not None:
                self.expr(handler.type, entry)
                entry = self.ev.env
            if handler.name:
                entry[handler.name] = UNKNOWN
            normal = join_env(normal, self.block(handler.body, entry))
        if not s.finalbody:
            return normal
        # ``finally`` runs on every way out: walk it once from all of them together.
        self._forget_since(mark, s.finalbody)
        everything = self._after_partial(env, s.body + s.orelse + s.handlers)
        out = self.block(s.finalbody, join_env(normal, everything))
        return out if normal is not None else None

    s_TryStar = s_Try

    # -- loops -------------------------------------------------------------------------------
    def s_For(self, s, env):
        memo = self._memo.get(s)
        if memo is not None and memo[0] == env:
            return None if memo[1] is None else dict(memo[1])
        entry = dict(env)
        element = self.ev_iter(s.iter, env)
        env = self.ev.env
        start = dict(env)
        head, exits = self._fixpoint(s, start, lambda e: self._bind(s.target, element, e))
        out = join_env(self.block(s.orelse, dict(head)), exits)
        if self.recording:
            self.loops[s] = LoopRecord(start, head, element, _copy(out))
        self._memo[s] = (entry, _copy(out))
        return out

    s_AsyncFor = s_For

    def ev_iter(self, node, env) -> AbsVal:
        self.ev.env = env
        return self.ev.iter_element(node)

    def _bind(self, target, element, env) -> Env:
        self.ev.env = env
        self.ev.bind(target, element)
        return self.ev.env

    def s_While(self, s, env):
        memo = self._memo.get(s)
        if memo is not None and memo[0] == env:
            return None if memo[1] is None else dict(memo[1])
        entry = dict(env)
        start = dict(env)
        exit_env: list[Optional[Env]] = [None]

        def enter(e: Env) -> Optional[Env]:
            t = truth(self.expr(s.test, e))
            e = self.ev.env
            exit_env[0] = None if t is True else dict(e)
            return None if t is False else e
        head, exits = self._fixpoint(s, start, enter)
        # exit_env holds the test's outcome on the last (stable) pass
        out = join_env(self.block(s.orelse, exit_env[0]) if exit_env[0] is not None else None,
                       exits)
        if self.recording:
            self.loops[s] = LoopRecord(start, head, UNKNOWN, _copy(out))
        self._memo[s] = (entry, _copy(out))
        return out

    def _fixpoint(self, s, start: Env, enter: Callable[[Env], Optional[Env]]):
        """Iterate the body from the loop head until the head is stable. Returns the head and
        the join of the environments at ``break``."""
        head = start
        passes = 0
        while True:
            passes += 1
            self.passes += 1
            body_env = enter(dict(head))
            targets = _Targets()
            self._stack.append(targets)
            out = self.block(s.body, body_env) if body_env is not None else None
            self._stack.pop()
            back = out
            for c in targets.continues:
                back = join_env(back, c)
            new = head if back is None else join_env(head, back, widen=True)
            if passes >= _MAX_PASSES and new != head:
                new = {k: (v if head.get(k) == v else UNKNOWN) for k, v in new.items()}
            if new == head:
                exits = None
                for b in targets.breaks:
                    exits = join_env(exits, b)
                return head, exits
            head = new


class FunctionValues:
    """Abstract values in one function: ``env_before(stmt)``, ``loop(loop).start`` / ``.head``,
    ``step(loop)``. Walks the function once when made.

    ``params``: values of the parameters on entry (see params.param_values); ``lookup``: values
    of free names (closures, module constants), None for unknown; ``x64``: JAX's x64 flag
    (False: JAX's default; None: unknown, default dtypes are then unknown)."""

    def __init__(self, function: ast.AST, imports: ImportMap,
                 params: Optional[dict[str, AbsVal]] = None, *,
                 lookup: Optional[Callable[[str], Optional[AbsVal]]] = None,
                 x64: Optional[bool] = False, call_hook: Optional[Callable] = None,
                 targets=()) -> None:
        self.function = function
        self.imports = imports
        self.params = dict(params or {})
        self.lookup = lookup
        self.x64 = x64
        self.call_hook = call_hook
        self.local, self.volatile = scope_facts(function)
        self._walker = self._walk(frozenset(targets))

    def _evaluator(self, env: Env) -> Evaluator:
        return Evaluator(self.imports, env, self.lookup, self.x64, self.volatile,
                         self.local, self.call_hook)

    def _walk(self, targets: frozenset) -> Walker:
        walker = Walker(self._evaluator(dict(self.params)), True, targets)
        body = self.function.body
        if isinstance(body, list):
            walker.block(body, dict(self.params))
        return walker

    @property
    def passes(self) -> int:
        return self._walker.passes

    def loop(self, loop: ast.AST) -> LoopRecord:
        rec = self._walker.loops.get(loop)
        if rec is None:
            raise KeyError("that loop is not reached in this function's own body")
        return rec

    def env_before(self, stmt: ast.stmt) -> Optional[Env]:
        """Values before ``stmt`` (joined over every time it runs); None if it is unreachable
        or not a statement of this function's own body."""
        if stmt in self._walker.loops:
            return dict(self._walker.loops[stmt].start)
        if stmt not in self._walker.before:
            extra = self._walk(frozenset({stmt}))
            if stmt not in extra.before:
                return None
            self._walker.before[stmt] = extra.before[stmt]
        return dict(self._walker.before[stmt])

    def step(self, loop: ast.AST, entry: Optional[Env] = None,
             index: Optional[AbsVal] = None, target: Optional[AbsVal] = None) -> Optional[Env]:
        """Values after one execution of the loop body from ``entry`` (default: the loop's
        start), or None if the body never completes an iteration (it always breaks, returns or
        raises). ``index``: for a ``range`` / ``enumerate`` loop, the value of the counter
        instead of a Python int (what a rewrite into lax gives it). ``target``: the value bound
        to a ``for`` loop's target, instead of what iterating its iterable gives."""
        rec = self.loop(loop)
        env = dict(rec.start if entry is None else entry)
        walker = Walker(self._evaluator(env), recording=False)
        if isinstance(loop, (ast.For, ast.AsyncFor)):
            element = rec.element if target is None else target
            if index is not None and target is None:
                walker.ev.env = dict(rec.start)
                element = walker.ev.iter_element(loop.iter, index)
            walker.ev.env = env
            walker.ev.bind(loop.target, element)
            env = walker.ev.env
        else:
            t = truth(walker.expr(loop.test, env))
            env = walker.ev.env
            if t is False:
                return None
        targets = _Targets()
        walker._stack.append(targets)
        out = walker.block(loop.body, env)
        for c in targets.continues:
            out = join_env(out, c)
        return out

    def evaluate(self, expr: ast.expr, env: Env) -> AbsVal:
        """The value of ``expr`` in ``env`` (``env`` is not changed)."""
        return self._evaluator(dict(env))(expr)


def has_counter(loop: ast.AST, ev_is_builtin: Callable[[str], bool]) -> bool:
    """Does the loop bind a Python int counter (``range``, ``enumerate``, also inside zip)?"""
    if not isinstance(loop, (ast.For, ast.AsyncFor)):
        return False
    todo = [loop.iter]
    while todo:
        node = todo.pop()
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and \
                ev_is_builtin(node.func.id):
            if node.func.id in ("range", "enumerate"):
                return True
            if node.func.id in ("zip", "reversed"):
                todo.extend(node.args)
    return False
