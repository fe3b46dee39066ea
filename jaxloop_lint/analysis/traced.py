"""Which functions run traced, what their parameters hold, and the dataflow facts of each.

Roots: functions decorated with (or passed to) a tracing transform, bodies passed to lax control
flow, and ``__call__`` of flax / equinox Modules. Functions of the same module called from traced
code are traced too, with parameter values taken from their call sites.
"""
from __future__ import annotations

import ast
import bisect
from dataclasses import dataclass, field
from typing import Callable, Iterable, Optional

from . import jaxapi
from .flow import FlowWalker, FunctionFacts
from .index import FunctionInfo, ModuleIndex
from .jaxapi import ParamMode
from .values import (ARRAY, STATIC, TRACED_ANY, UNKNOWN, Evaluator, Kind, Val)
from .walk import walk

# Re-evaluating a function whose call-site values changed is bounded: the lattice is tiny.
_MAX_EVALS = 3

# Parameter values of the functions lax control flow calls, by primitive.
_SCALAR = Val(Kind.TRACED, False)
_LAX_PARAMS = {
    "jax.lax.fori_loop": [_SCALAR, TRACED_ANY],
    "flax.nnx.fori_loop": [_SCALAR, TRACED_ANY],
}


@dataclass(eq=False)
class TraceInfo:
    mode: Optional[ParamMode]   # None: parameters come from ``params`` (lax bodies, call sites)
    reason: str
    static: set[str] = field(default_factory=set)
    params: dict[str, Val] = field(default_factory=dict)
    evals: int = 0


class TracedFunctions:
    def __init__(self, index: ModuleIndex, extra_jit: Iterable[str] = ()) -> None:
        self.index = index
        self.extra_jit = set(extra_jit)
        self.info: dict[FunctionInfo, TraceInfo] = {}
        self.facts: dict[FunctionInfo, FunctionFacts] = {}
        self._neutral_env: dict[FunctionInfo, dict[str, Val]] = {}
        self._busy: set[FunctionInfo] = set()
        self._pending: list[FunctionInfo] = []  # _evaluate_all's queue
        self._usage: dict[ast.AST, tuple[set[str], set[str]]] = {}  # usage_evidence's memo
        self.kernel_roots: set[FunctionInfo] = set()
        self.globals = self._module_globals()
        self._worth = self._worth_evaluating()
        self._find_roots()
        self._evaluate_all()
        self.kernels = self._kernel_closure()

    # -- roots -------------------------------------------------------------------------------
    def _mark(self, fn: FunctionInfo, info: TraceInfo) -> None:
        if fn not in self.info:
            self.info[fn] = info

    def _transform(self, expr: ast.AST) -> Optional[tuple[ParamMode, list[ast.keyword]]]:
        """``jax.jit`` / ``partial(jax.jit, static_argnames=...)`` / ``nnx.jit(...)`` / extras."""
        imports = self.index.imports
        qual = imports.qualname(expr)
        if qual in jaxapi.TRANSFORMS:
            return jaxapi.TRANSFORMS[qual], []
        if self._is_extra_jit(expr, qual):
            return ParamMode.ALL_TRACED, []
        if isinstance(expr, ast.Call):
            func_qual = imports.qualname(expr.func)
            if func_qual == "functools.partial" and expr.args:
                inner = self._transform(expr.args[0])
                if inner is not None:
                    return inner[0], inner[1] + list(expr.keywords)
            elif func_qual in jaxapi.TRANSFORMS and not expr.args:
                return jaxapi.TRANSFORMS[func_qual], list(expr.keywords)  # @nnx.jit(static_...)
            elif not expr.args and self._is_extra_jit(expr.func, func_qual):
                return ParamMode.ALL_TRACED, list(expr.keywords)
        return None

    def _is_extra_jit(self, expr: ast.AST, qual: Optional[str]) -> bool:
        if not self.extra_jit:
            return False
        if qual in self.extra_jit:
            return True
        return isinstance(expr, (ast.Name, ast.Attribute)) and ast.unparse(expr) in self.extra_jit

    def _find_roots(self) -> None:
        index = self.index
        for fn in index.functions:
            for dec in fn.node.decorator_list:
                spec = self._transform(dec)
                if spec is not None:
                    mode, keywords = spec
                    self._mark(fn, TraceInfo(mode, f"decorated with {ast.unparse(dec)}",
                                             _static_params(fn, keywords)))
        for cls in index.classes.values():
            if index.base_qualnames(cls) & jaxapi.MODULE_BASES:
                for name, method in cls.methods.items():
                    compact = any(index.imports.qualname(d) == "flax.linen.compact"
                                  for d in method.node.decorator_list)
                    if name == "__call__" or compact:
                        self._mark(method, TraceInfo(ParamMode.MAYBE, f"{cls.name}.{name}"))
        for fn in index.functions:  # @pl.kernel(...) / @pltpu.kernel decorated kernels
            if any(index.imports.qualname(d.func if isinstance(d, ast.Call) else d)
                   in jaxapi.KERNEL_CALLS for d in fn.node.decorator_list):
                self.kernel_roots.add(fn)
        for site in index.calls:
            call, scope = site.call, site.scope
            if site.qualname in jaxapi.KERNEL_CALLS:
                target = call.args[0] if call.args else _keyword(call, "kernel", "body", "f")
                fn = index.resolve_function(target, scope) if target is not None else None
                if fn is not None:
                    self.kernel_roots.add(fn)
                    self._mark(fn, TraceInfo(ParamMode.MAYBE, f"kernel of {site.qualname}",
                                             _partial_bound(fn, target)))
            elif site.qualname in jaxapi.TRANSFORMS:
                target = call.args[0] if call.args else _keyword(call, "fun", "f")
                fn = index.resolve_function(target, scope) if target is not None else None
                if fn is not None and not isinstance(fn.node, ast.Lambda):
                    static = _static_params(fn, call.keywords) | _partial_bound(fn, target)
                    self._mark(fn, TraceInfo(jaxapi.TRANSFORMS[site.qualname],
                                             f"wrapped by {site.qualname}", static))
            else:
                for fn in self.lax_bodies(site.call, site.qualname, scope):
                    vals = _LAX_PARAMS.get(site.qualname, [])
                    params = _positional(fn.node)
                    overrides = {p: (vals[i] if i < len(vals) else TRACED_ANY)
                                 for i, p in enumerate(params)}
                    static = _partial_bound(fn, None)
                    self._mark(fn, TraceInfo(None, f"body of {site.qualname}", static, overrides))

    def lax_bodies(self, call: ast.Call, qualname: str, scope) -> list[FunctionInfo]:
        positions, keywords, _ = jaxapi.LAX_CALLS[qualname]
        exprs = [call.args[i] for i in positions if i < len(call.args)]
        exprs += [k.value for k in call.keywords if k.arg in keywords]
        out = []
        for expr in exprs:
            fn = self.index.resolve_function(expr, scope)
            if fn is not None:
                out.append(fn)
        return out

    # -- evaluation --------------------------------------------------------------------------
    def _worth_evaluating(self) -> Optional[set[FunctionInfo]]:
        """The functions whose facts can hold a finding, or ``None`` (all of them) when there is
        no text to search: those that hold a judged statement, and those whose text names
        one of them (a call, ``partial(g)``, ``self.g``, a nested ``def g``), to a fixed point.
        Every way a call is resolved names the callee, so a function outside this set cannot
        pass values to one inside it. Walking the others was most of the analysis's time."""
        text = self.index.text
        if text is None:
            return None
        worth = {fn for fn in self.index.functions if fn.judged}
        rest = [(fn, text.span(fn.node.lineno, fn.node.end_lineno))
                for fn in self.index.functions if not fn.judged]
        names, searched = {fn.name for fn in worth}, set()
        while rest and names - searched:
            hits = text.word_offsets(names - searched)
            searched |= names
            keep = []
            for fn, (start, end) in rest:
                i = bisect.bisect_left(hits, start)
                if i < len(hits) and hits[i] < end:
                    worth.add(fn)
                    names.add(fn.name)
                else:
                    keep.append((fn, (start, end)))
            rest = keep
        return worth

    def _is_worth(self, fn: FunctionInfo) -> bool:
        return self._worth is None or fn in self._worth or isinstance(fn.node, ast.Lambda)

    def _evaluate_all(self) -> None:
        order = sorted(filter(self._is_worth, self.info),
                       key=lambda f: (f.node.lineno, f.node.col_offset))
        pending = self._pending = list(order)
        while pending:
            fn = pending.pop(0)
            for callee in self._evaluate(fn):
                pending.append(callee)

    def _evaluate(self, fn: FunctionInfo, early: bool = False) -> list[FunctionInfo]:
        """Walk ``fn``; return the callees whose parameter values changed. An ``early`` walk
        (once, ahead of ``fn``'s turn, for a closure's sake) leaves ``fn`` all its turns."""
        info = self.info[fn]
        if fn in self._busy or info.evals >= _MAX_EVALS:
            return []
        self._busy.add(fn)
        info.evals += not early
        walker = FlowWalker(self.index, fn, self._params(fn, info), self._closure_lookup(fn))
        facts = walker.run()
        self.facts[fn] = facts
        self._busy.discard(fn)
        changed = []
        for call in facts.calls:
            callee = call.callee
            vals = _call_params(callee, call.args, call.keywords)
            known = self.info.get(callee)
            if known is None:
                self.info[callee] = TraceInfo(None, f"called from {fn.qualname}",
                                              params=vals)
                changed.append(callee)
            elif known.mode is None and known.reason.startswith("called from"):
                merged = {k: known.params[k].join(v) if k in known.params else v
                          for k, v in vals.items()}
                if merged != known.params:
                    known.params = merged
                    changed.append(callee)
        return [callee for callee in changed if self._is_worth(callee)]

    def _kernel_closure(self) -> set[FunctionInfo]:
        """Pallas kernels and every function they define or call (transitively)."""
        if not self.kernel_roots:
            return set()
        nested: dict[FunctionInfo, list[FunctionInfo]] = {}
        for fn in self.index.by_node.values():
            if fn.parent is not None:
                nested.setdefault(fn.parent, []).append(fn)
        kernels, todo = set(), list(self.kernel_roots)
        while todo:
            fn = todo.pop()
            if fn in kernels:
                continue
            kernels.add(fn)
            todo.extend(nested.get(fn, ()))
            if fn not in self.facts and fn in self.info:
                # Traced but not worth evaluating (no loop): what it calls is kernel code too.
                self._evaluate(fn)
            if fn in self.facts:
                todo.extend(call.callee for call in self.facts[fn].calls)
        return kernels

    def in_kernel(self, fn: FunctionInfo) -> bool:
        return fn in self.kernels

    def _params(self, fn: FunctionInfo, info: TraceInfo) -> dict[str, Val]:
        node = fn.node
        args = node.args
        positional = args.posonlyargs + args.args
        first_default = len(positional) - len(args.defaults)
        is_method = fn.cls is not None and fn.self_name is not None
        out: dict[str, Val] = {}
        every = [(a, i >= first_default) for i, a in enumerate(positional)]
        every += [(a, d is not None) for a, d in zip(args.kwonlyargs, args.kw_defaults)]
        for i, (arg, has_default) in enumerate(every):
            if is_method and i == 0 or arg.arg in info.static:
                val = STATIC
            elif arg.arg in info.params:
                val = info.params[arg.arg]
            elif info.mode is ParamMode.ALL_TRACED and not has_default:
                val = TRACED_ANY
            else:
                val = UNKNOWN
            out[arg.arg] = _refine(val, arg.annotation, lambda: self._usage_of(node), arg.arg)
        traced_rest = info.mode is ParamMode.ALL_TRACED
        for arg in (args.vararg, args.kwarg):
            if arg is not None:
                out[arg.arg] = Val(Kind.TRACED if traced_rest else Kind.UNKNOWN, False)
        return out

    def _usage_of(self, node) -> tuple[set[str], set[str]]:
        # Walking the body is the costly part of a function's parameters: done at most once,
        # and only for a parameter whose value the call sites and annotation leave open.
        if node not in self._usage:
            self._usage[node] = usage_evidence(node, self.index.imports)
        return self._usage[node]

    def _closure_lookup(self, fn: FunctionInfo):
        chain = []
        parent = fn.parent
        while parent is not None:
            chain.append(self._env_of(parent))
            parent = parent.parent
        chain.append(self.globals)

        def lookup(name: str) -> Optional[Val]:
            for env in chain:
                val = env.get(name)
                if val is not None:
                    return val
            return None
        return lookup

    def _env_of(self, fn: FunctionInfo) -> dict[str, Val]:
        """Names' values at the end of ``fn``, for closures that read them."""
        if fn in self.facts:
            return self.facts[fn].env
        if fn in self._busy:
            return {}
        if fn in self.info:
            # Evaluated ahead of its turn: the callees it gave values to wait for theirs.
            self._pending.extend(self._evaluate(fn, early=True))
            return self.facts[fn].env if fn in self.facts else {}
        if fn not in self._neutral_env:
            # An untraced function enclosing a traced one: evaluate it for its values only.
            self._busy.add(fn)
            walker = FlowWalker(self.index, fn, self._params(fn, TraceInfo(ParamMode.MAYBE, "")),
                                self._closure_lookup(fn))
            walker.recording = False
            self._neutral_env[fn] = walker.run().env
            self._busy.discard(fn)
        return self._neutral_env[fn]

    def _module_globals(self) -> dict[str, Val]:
        env: dict[str, Val] = {}
        evaluate = Evaluator(self.index.imports, env, lambda name: None)
        for stmt in self.index.tree.body:
            if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                env[stmt.name] = STATIC
            elif isinstance(stmt, ast.Assign):
                val = evaluate(stmt.value)
                for target in stmt.targets:
                    for name in ast.walk(target):
                        if isinstance(name, ast.Name):
                            env[name.id] = val if isinstance(target, ast.Name) else Val(
                                val.kind, None)
            elif isinstance(stmt, ast.AnnAssign) and isinstance(stmt.target, ast.Name) \
                    and stmt.value is not None:
                env[stmt.target.id] = evaluate(stmt.value)
        return env


# -- parameters ------------------------------------------------------------------------------
def _positional(node) -> list[str]:
    args = node.args
    return [a.arg for a in args.posonlyargs + args.args]


def _keyword(call: ast.Call, *names: str) -> Optional[ast.expr]:
    for k in call.keywords:
        if k.arg in names:
            return k.value
    return None


def _literal_items(expr: ast.expr) -> list:
    elts = expr.elts if isinstance(expr, (ast.Tuple, ast.List, ast.Set)) else [expr]
    out = []
    for e in elts:
        if isinstance(e, ast.Constant):
            out.append(e.value)
        elif isinstance(e, ast.UnaryOp) and isinstance(e.op, ast.USub) \
                and isinstance(e.operand, ast.Constant):
            out.append(-e.operand.value)
    return out


def _static_params(fn: FunctionInfo, keywords: list[ast.keyword]) -> set[str]:
    positional = _positional(fn.node)
    static: set[str] = set()
    for k in keywords:
        if k.arg == jaxapi.STATIC_ARGNAMES:
            static.update(v for v in _literal_items(k.value) if isinstance(v, str))
        elif k.arg == jaxapi.STATIC_ARGNUMS:
            for v in _literal_items(k.value):
                if isinstance(v, int) and -len(positional) <= v < len(positional):
                    static.add(positional[v])
    return static


def _partial_bound(fn: FunctionInfo, ref: Optional[ast.expr]) -> set[str]:
    """Parameters bound by ``functools.partial(f, a, k=v)``: Python values, not traced."""
    if not isinstance(ref, ast.Call) or not ref.args:
        return set()
    positional = _positional(fn.node)
    bound = set(positional[:len(ref.args) - 1])
    bound.update(k.arg for k in ref.keywords if k.arg)
    return bound


def _call_params(fn: FunctionInfo, args: list[Val], keywords: dict[str, Val]) -> dict[str, Val]:
    positional = _positional(fn.node)
    if fn.cls is not None and fn.self_name is not None:
        positional = positional[1:]  # called as self.method(...)
    out = dict(zip(positional, args))
    out.update({k: v for k, v in keywords.items() if k in positional or
                k in {a.arg for a in fn.node.args.kwonlyargs}})
    return out


def _refine(val: Val, annotation: Optional[ast.expr],
            usage: Callable[[], tuple[set[str], set[str]]], name: str) -> Val:
    """Sharpen a parameter's value with its annotation and with how the body uses it
    (``usage()``: the names used as only arrays, and as only containers)."""
    if val.kind <= Kind.SHAPE:
        return val
    if annotation is not None:
        names = {n.id if isinstance(n, ast.Name) else n.attr for n in ast.walk(annotation)
                 if isinstance(n, (ast.Name, ast.Attribute))}
        if isinstance(annotation, ast.Constant) and isinstance(annotation.value, str):
            names = {w.strip("[]., ") for w in annotation.value.replace("[", " ").split()}
        if names & jaxapi.ARRAY_ANNOTATIONS and not names & jaxapi.CONTAINER_ANNOTATIONS:
            return ARRAY
        if names & jaxapi.CONTAINER_ANNOTATIONS:
            return Val(val.kind, False)
        if names & jaxapi.SCALAR_ANNOTATIONS:
            return Val(val.kind, False)
    if val.array is None:
        arrays, containers = usage()
        if name in arrays:
            return ARRAY
        if name in containers:
            return Val(val.kind, False)
    return val


_CONTAINER_METHODS = {"items", "keys", "values", "append", "extend", "get", "insert", "pop",
                      "update", "setdefault", "copy"}


def usage_evidence(node, imports) -> tuple[set[str], set[str]]:
    """Names the function uses as only arrays are used (``x.shape``, ``x @ w``, ``x[:, 0]``,
    ``jnp.tanh(x)``), and names it uses as only containers are used (``p["w"]``,
    ``params.items()``, ``for w, b in params``, ``for layer in layers: layer(x)``)."""
    arrays: set[str] = set()
    containers: set[str] = set()
    mutated: set[str] = set()
    element_of: dict[str, str] = {}  # loop target -> the name it iterates
    body = [node.body] if isinstance(node, ast.Lambda) else node.body
    for stmt in body:
        for sub in walk(stmt):
            kind = type(sub)
            if kind is ast.Attribute:
                value = sub.value
                if type(value) is ast.Name:
                    if sub.attr in jaxapi.ARRAY_ATTRS:
                        arrays.add(value.id)
                    elif value.id in element_of and not isinstance(sub.ctx, ast.Store):
                        containers.add(element_of[value.id])
            elif kind is ast.BinOp:
                if isinstance(sub.op, ast.MatMult):
                    for side in (sub.left, sub.right):
                        if type(side) is ast.Name:
                            arrays.add(side.id)
            elif kind is ast.Subscript:
                value = sub.value
                if type(value) is ast.Name:
                    index = sub.slice
                    if isinstance(sub.ctx, ast.Store):
                        # ``o_ref[...] = x`` / ``log["kT"] = x``: code that writes into an
                        # argument expects something mutable (a Pallas Ref, an nnx Variable, a
                        # dict), never a jax array, which would raise.
                        mutated.add(value.id)
                    elif isinstance(index, ast.Constant) and isinstance(index.value, str):
                        containers.add(value.id)
                        if value.id in element_of:
                            containers.add(element_of[value.id])
                    elif _array_only_index(index):
                        arrays.add(value.id)
            elif kind is ast.Call:
                func = sub.func
                if type(func) is ast.Attribute and type(func.value) is ast.Name \
                        and func.attr in _CONTAINER_METHODS:
                    containers.add(func.value.id)
                elif type(func) is ast.Name and func.id in element_of:
                    containers.add(element_of[func.id])  # for layer in layers: layer(x)
                if sub.args and type(sub.args[0]) is ast.Name:
                    qual = imports.qualname(func)
                    if qual and qual.startswith(jaxapi.ARRAY_NAMESPACES) \
                            and qual not in jaxapi.SEQUENCE_TAKERS \
                            and qual not in jaxapi.CONTAINER_RESULTS \
                            and not qual.startswith(("jax.lax.", "jax.random.", "jax.tree")):
                        arrays.add(sub.args[0].id)
            elif kind is ast.For:
                iterated = sub.iter
                if isinstance(iterated, ast.Call) and isinstance(iterated.func, ast.Name) \
                        and iterated.func.id == "enumerate" and iterated.args:
                    iterated = iterated.args[0]
                    target = sub.target.elts[1] if isinstance(sub.target, ast.Tuple) \
                        and len(sub.target.elts) == 2 else None
                else:
                    target = sub.target
                if type(iterated) is ast.Name and target is not None:
                    if isinstance(target, (ast.Tuple, ast.List)):
                        containers.add(iterated.id)  # for w, b in params
                    elif isinstance(target, ast.Name):
                        element_of[target.id] = iterated.id
    return arrays - mutated, (containers - arrays) | mutated


def _array_only_index(index: ast.expr) -> bool:
    if isinstance(index, ast.Tuple):
        return True  # x[:, 0], x[i, j]
    return isinstance(index, ast.Constant) and (index.value is None or index.value is Ellipsis)
