"""Rewrite plans: how a data-scaled loop becomes ``jax.lax.scan`` / ``fori_loop`` /
``while_loop``, or the reason it cannot be rewritten without changing what the program computes.

The analysis decides; the fixer only renders. Preconditions follow the verified recipes of
loop-semantics.md §5 (R1-R3, R5, R8): a static trip count for scan, every carry bound before the
loop, no Python side effects, the loop index used only to index arrays, per-step outputs
appended once per step and stacked once after the loop.
"""
from __future__ import annotations

import ast
from dataclasses import dataclass, field
from typing import Optional, Union

from . import dtypes, jaxapi
from .flow import FunctionFacts
from .index import FunctionInfo, ModuleIndex
from .loops import LoopKind, LoopModel
from .names import loads, parent_map, reads_before_writes, stores, target_names, walk_scope
from .values import Kind
from ..diagnostics import Applicability

SCAN, FORI, WHILE, VMAP = "scan", "fori_loop", "while_loop", "vmap"

# Calls whose only effect is their result.
_PURE_PREFIXES = ("jax.numpy.", "jax.nn.", "jax.lax.", "jax.random.", "jax.scipy.",
                  "jax.debug.", "jax.tree.", "jax.tree_util.", "math.", "operator.",
                  "jax.image.", "flax.linen.activation.", "flax.nnx.relu", "flax.nnx.gelu",
                  "flax.nnx.sigmoid", "flax.nnx.softmax", "flax.nnx.tanh", "flax.nnx.silu")
_PURE_BUILTINS = {"abs", "min", "max", "len", "sum", "pow", "round", "divmod", "isinstance",
                  "tuple", "list", "dict", "zip", "enumerate", "range", "reversed", "float",
                  "int", "bool", "complex", "slice", "all", "any", "sorted", "map", "filter"}
_EFFECT_BUILTINS = {"print", "input", "open", "breakpoint", "exec", "eval", "setattr",
                    "delattr", "globals", "locals", "vars", "next", "iter", "id"}
_EFFECT_PREFIXES = ("logging.", "sys.", "os.", "time.", "random.", "numpy.random.",
                    "builtins.", "warnings.", "pathlib.", "shutil.", "subprocess.", "io.")
_MUTATORS = jaxapi.PYTHON_MUTATORS
_ARRAY_METHODS = jaxapi.ARRAY_ATTRS | {"set", "get", "add", "multiply", "divide", "power",
                                       "subtract", "apply", "min", "max", "at", "copy",
                                       "clip", "conj", "view", "repeat", "take", "tolist"}
_STACKERS = {"jax.numpy.stack", "jax.numpy.array", "jax.numpy.asarray"}
_FORBIDDEN = {
    ast.Return: "`return` inside the loop", ast.Break: "`break`", ast.Continue: "`continue`",
    ast.Raise: "`raise` inside the loop", ast.Try: "`try`", ast.With: "`with`",
    ast.AsyncWith: "`async with`", ast.AsyncFor: "`async for`", ast.Global: "`global`",
    ast.Nonlocal: "`nonlocal`", ast.Delete: "`del`", ast.Import: "an import",
    ast.ImportFrom: "an import", ast.FunctionDef: "a nested `def`",
    ast.AsyncFunctionDef: "a nested `def`", ast.ClassDef: "a nested `class`",
    ast.Yield: "`yield`", ast.YieldFrom: "`yield`", ast.Await: "`await`",
    ast.Match: "`match`",
}


@dataclass(eq=False)
class Output:
    """A list appended once per step and stacked once after the loop: the scan's ``ys``."""

    name: str
    init: ast.Assign          # ``outs = []`` before the loop (removed)
    append: ast.Expr          # ``outs.append(v)``, a statement of the loop body (replaced)
    value: ast.expr
    consumer: ast.Call        # ``jnp.stack(outs[, axis=k])`` after the loop (replaced)
    axis: int = 0
    reverse: bool = False     # consumed as ``jnp.stack(outs[::-1])``


@dataclass(eq=False)
class LoopPlan:
    form: str                         # SCAN / FORI / WHILE
    loop: LoopModel
    function: FunctionInfo
    carried: list[str]
    outputs: list[Output] = field(default_factory=list)
    # scan: the arrays iterated (as source expressions) and the names each step binds
    xs: list[str] = field(default_factory=list)
    step_target: Optional[ast.expr] = None
    # ``if <cond>: break`` as a statement of the body: a masked scan with a ``done`` flag
    stop: Optional[ast.If] = None
    # ``if <cond>: return v`` as the stop: the ``return w`` right after the loop, which becomes
    # ``return jnp.where(done, v, w)``
    final_return: Optional[ast.Return] = None
    # pad and mask: scan over a static maximum; steps with index >= this bound are masked
    mask_bound: Optional[str] = None
    # fori_loop: bounds as source expressions; the index name
    bounds: tuple[str, str] = ("", "")
    index: Optional[str] = None
    applicability: Applicability = Applicability.SAFE
    notes: list[str] = field(default_factory=list)  # why the fix is unsafe
    # How the module spells jax.lax / jax.numpy; ``import jax`` is added when neither exists.
    lax: str = "jax.lax"
    jnp: str = "jax.numpy"
    vmap: str = "jax.vmap"
    needs_jax_import: bool = False

    @property
    def target(self) -> str:
        """The public name of what the loop becomes: ``jax.lax.scan``, ``jax.vmap``, ..."""
        return "jax.vmap" if self.form == VMAP else f"jax.lax.{self.form}"

    @property
    def description(self) -> str:
        carry = ", ".join(self.carried) or "nothing"
        if self.form == VMAP:
            text = "rewrite as jax.vmap over independent steps"
        else:
            text = f"rewrite as jax.lax.{self.form} carrying {carry}"
        if self.outputs:
            text += " with per-step outputs " + ", ".join(o.name for o in self.outputs)
        if self.notes:
            text += " (unsafe: " + "; ".join(self.notes) + ")"
        return text


@dataclass(frozen=True)
class Refusal:
    reason: str


Plan = Union[LoopPlan, Refusal]


class Refuse(Exception):
    """Raised by a planner with the reason there is no fix; caught and turned into a Refusal."""


_Refuse = Refuse


def plan_loop(index: ModuleIndex, facts: FunctionFacts, loop: LoopModel) -> Plan:
    try:
        return _Planner(index, facts, loop).plan()
    except _Refuse as refusal:
        return Refusal(str(refusal))


class _Planner:
    def __init__(self, index: ModuleIndex, facts: FunctionFacts, loop: LoopModel) -> None:
        self.index = index
        self.imports = index.imports
        self.facts = facts
        self.fn = facts.function
        self.loop = loop
        self.node = loop.node
        self.notes: list[str] = []
        self.body_stores = stores(loop.node.body)
        self.stop = _stop_statement(loop.node)

    # -- the plan ----------------------------------------------------------------------------
    def plan(self) -> LoopPlan:
        node = self.node
        if node.orelse:
            self._check_else()
        self._check_statements()
        self.final_return = self._final_return() if self._stops_by_return() else None
        outputs = self._outputs()
        output_names = {o.name for o in outputs}
        self._check_effects(output_names)
        self._check_growth()
        carried = self._carried(output_names)
        if isinstance(node, ast.While):
            if outputs:
                raise _Refuse("per-step outputs of a `while` loop have a data-dependent length")
            self.notes.append("jax.lax.while_loop is not reverse-differentiable")
            return self._finish(LoopPlan(WHILE, self.loop, self.fn, carried))
        return self._plan_for(carried, outputs)

    def _check_else(self) -> None:
        """``for ... else:`` runs the else block when no ``break`` fired: after a masked scan,
        ``x = jnp.where(done, x, <value>)`` for each plain assignment of the block."""
        if self.stop is None or not isinstance(self.stop.body[0], ast.Break):
            raise _Refuse("the loop has an `else:` clause without a masked `break`")
        bound = self._bound_before()
        for stmt in self.node.orelse:
            target = stmt.targets[0] if isinstance(stmt, ast.Assign) and len(
                stmt.targets) == 1 else getattr(stmt, "target", None)
            if not isinstance(stmt, (ast.Assign, ast.AugAssign)) \
                    or not isinstance(target, ast.Name):
                raise _Refuse("the `else:` clause does more than assign names")
            if target.id not in bound and target.id not in self.body_stores:
                raise _Refuse(f"`{target.id}` is first assigned in the `else:` clause")
            for call in ast.walk(stmt.value):
                if isinstance(call, ast.Call) and not (
                        self.imports.qualname(call.func) or "").startswith(_PURE_PREFIXES):
                    raise _Refuse("the `else:` clause calls something other than jax "
                                  f"(`{ast.unparse(call.func)}`)")

    def _stops_by_return(self) -> bool:
        return self.stop is not None and isinstance(self.stop.body[0], ast.Return)

    def _final_return(self) -> ast.Return:
        """An early ``return v`` needs the function to end with the loop and ``return w``:
        then ``return jnp.where(done, v, w)`` says the same thing."""
        body = self.fn.node.body if not isinstance(self.fn.node, ast.Lambda) else []
        if self.node not in body or body.index(self.node) != len(body) - 2 \
                or not isinstance(body[-1], ast.Return) or body[-1].value is None:
            raise _Refuse("`return` inside the loop, and the function does not end with the "
                          "loop and one `return`")
        for value in (self.stop.body[0].value, body[-1].value):
            if isinstance(value, (ast.Tuple, ast.List, ast.Dict)):
                raise _Refuse("`return` inside the loop returns a container")
        return body[-1]

    def _finish(self, plan: LoopPlan) -> LoopPlan:
        if not plan.carried and not plan.outputs:
            raise _Refuse("nothing computed in the loop is used after it")
        lax = local_name(self.imports, "jax.lax")
        vmap = local_name(self.imports, "jax.vmap")
        plan.lax = lax or "jax.lax"
        plan.vmap = vmap or "jax.vmap"
        plan.jnp = self._jnp()
        used = [plan.vmap if plan.form == VMAP else plan.lax]
        if any(x.startswith("jax.numpy") for x in plan.xs) or any(
                o.axis for o in plan.outputs) or plan.stop is not None or plan.mask_bound:
            used.append(plan.jnp)
        plan.needs_jax_import = "jax" not in self.imports.names and any(
            u.startswith("jax.") for u in used)
        plan.notes = self.notes
        plan.applicability = Applicability.UNSAFE if self.notes else Applicability.SAFE
        return plan

    def _plan_for(self, carried: list[str], outputs: list[Output]) -> LoopPlan:
        node = self.node
        it = node.iter
        kind = self.loop.kind
        call = it if isinstance(it, ast.Call) and isinstance(it.func, ast.Name) else None
        name = call.func.id if call is not None else None
        if name == "reversed" and call.args and isinstance(call.args[0], ast.Call) \
                and isinstance(call.args[0].func, ast.Name) and call.args[0].func.id == "range":
            rng = call.args[0]
            if kind is LoopKind.TRACED_RANGE:
                raise _Refuse("`reversed(range(...))` over a traced bound has no static length")
            self._check_index(node.target)
            xs = f"{self._jnp()}.arange({_args(rng)})[::-1]"
            return self._scan(carried, outputs, [xs], node.target)
        if name == "range":
            index = self._check_index(node.target)
            padded = self._static_maximum(call) if kind is LoopKind.TRACED_RANGE else None
            if padded is not None and self.stop is None:
                return self._padded(carried, outputs, index, *padded)
            if kind is LoopKind.TRACED_RANGE:
                if outputs:
                    raise _Refuse("per-step outputs need a static trip count, and "
                                  f"`{ast.unparse(self.loop.traced)}` is traced")
                self.notes.append("jax.lax.fori_loop with a traced bound is not "
                                  "reverse-differentiable")
            step = call.args[2] if len(call.args) == 3 else None
            unit_step = step is None or isinstance(step, ast.Constant) and step.value == 1
            if not outputs and unit_step and self.stop is None:
                lo = ast.unparse(call.args[0]) if len(call.args) > 1 else "0"
                hi = ast.unparse(call.args[1] if len(call.args) > 1 else call.args[0])
                return self._finish(LoopPlan(FORI, self.loop, self.fn, carried,
                                             bounds=(lo, hi), index=index))
            if kind is LoopKind.TRACED_RANGE:
                raise _Refuse("a `break` needs a static trip count" if self.stop is not None
                              else "jax.lax.fori_loop needs a step of 1 when the bound is traced")
            return self._scan(carried, outputs, [f"{self._jnp()}.arange({_args(call)})"],
                              node.target)
        if kind is not LoopKind.ARRAY:
            raise _Refuse("the iteration form is not supported")
        if self.loop.assumed_array:
            self.notes.append(f"`{ast.unparse(self.loop.subject)}` may be a list, not an array: "
                              "jax.lax.scan would step through each of its arrays instead")
        if name == "reversed":
            return self._scan(carried, outputs, [f"{ast.unparse(call.args[0])}[::-1]"],
                              node.target)
        if name == "enumerate":
            if not isinstance(node.target, ast.Tuple) or len(node.target.elts) != 2:
                raise _Refuse("`enumerate` without an `(i, x)` target")
            self._check_index(node.target.elts[0])
            inner = call.args[0]
            if isinstance(inner, ast.Call) and isinstance(inner.func, ast.Name) \
                    and inner.func.id == "reversed" and len(inner.args) == 1:
                arr = f"{ast.unparse(inner.args[0])}[::-1]"  # enumerate(reversed(xs))
            elif isinstance(inner, ast.Call) and isinstance(inner.func, ast.Name) \
                    and inner.func.id in ("zip", "range", "enumerate", "reversed"):
                raise _Refuse(f"`enumerate({inner.func.id}(...))` is not supported")
            else:
                arr = ast.unparse(inner)
            start = _keyword_or_arg(call, "start", 1)
            if start is None:
                idx = f"{self._jnp()}.arange({arr}.shape[0])"
            else:
                s = ast.unparse(start)
                idx = f"{self._jnp()}.arange({s}, {s} + {arr}.shape[0])"
            return self._scan(carried, outputs, [idx, arr], node.target)
        if name == "zip":
            if any(isinstance(a, ast.Starred) for a in call.args) or call.keywords:
                raise _Refuse("`zip(*...)` / `zip(..., strict=...)` is not supported")
            if not isinstance(node.target, ast.Tuple) or len(node.target.elts) != len(call.args):
                raise _Refuse("the `zip` target does not unpack each array")
            self.notes.append("jax.lax.scan raises where `zip` would silently stop at the "
                              "shortest array")
            return self._scan(carried, outputs, [_array_expr(a) for a in call.args],
                              node.target)
        return self._scan(carried, outputs, [ast.unparse(it)], node.target)

    def _static_maximum(self, call: ast.Call):
        """``range(min(n, K))`` with ``n`` traced and ``K`` static: (K, n) as source text."""
        if len(call.args) != 1:
            return None
        bound = call.args[0]
        shown = None
        if isinstance(bound, ast.Name) and self._assigned_once(bound.id):
            # ``n = min(length, K)`` (or ``jnp.minimum``) earlier, then ``range(n)``
            shown, bound = bound.id, self._initial_values().get(bound.id)
        if not (isinstance(bound, ast.Call) and len(bound.args) == 2 and not bound.keywords
                and (isinstance(bound.func, ast.Name) and bound.func.id == "min"
                     or self.imports.qualname(bound.func) == "jax.numpy.minimum")):
            return None
        env = self.loop.env_after
        static = [a for a in bound.args if _is_static_expr(a, env)]
        if len(static) != 1:
            return None
        traced = bound.args[1] if static[0] is bound.args[0] else bound.args[0]
        return ast.unparse(static[0]), shown or ast.unparse(traced)

    def _assigned_once(self, name: str) -> bool:
        """``name`` is bound by one plain assignment in this function, before the loop."""
        binds = [n for n in walk_scope(self.fn.node) if isinstance(n, ast.Name)
                 and n.id == name and isinstance(n.ctx, ast.Store)]
        return len(binds) == 1 and binds[0].lineno < self.node.lineno and isinstance(
            parent_map(self.fn.node).get(binds[0]), ast.Assign)

    def _padded(self, carried, outputs, index, maximum: str, bound: str) -> LoopPlan:
        """Pad and mask: scan over the static maximum, steps past the traced bound keep every
        carry unchanged. Unlike fori_loop with a traced bound, it stays reverse-differentiable."""
        if outputs:
            raise _Refuse("per-step outputs would have the padded length, not the traced one")
        self.notes.append("the padded steps still run on real data: an op that gives inf/nan "
                          "there can poison gradients")
        return self._finish(LoopPlan(SCAN, self.loop, self.fn, carried,
                                     xs=[f"{self._jnp()}.arange({maximum})"],
                                     step_target=self.node.target, index=index,
                                     mask_bound=bound))

    def _scan(self, carried, outputs, xs, target) -> LoopPlan:
        if self.stop is not None:
            jump = {ast.Break: "break", ast.Continue: "continue",
                    ast.Return: "return"}[type(self.stop.body[0])]
            if outputs:
                raise _Refuse(f"per-step outputs with a `{jump}`: their number depends on the "
                              "data")
            if not carried:
                raise _Refuse("nothing computed in the loop is used after it")
            self.notes.append(f"the steps masked by `{jump}` still run on real data: an op "
                              "that gives inf/nan there can poison gradients")
            if jump == "return":
                self.notes.append("both return values are computed and jnp.where picks one")
            return self._finish(LoopPlan(SCAN, self.loop, self.fn, carried, xs=xs,
                                         step_target=target, stop=self.stop,
                                         final_return=self.final_return))
        # No state flows from one step to the next: the steps are independent, run them in
        # parallel with vmap instead of one after another.
        form = VMAP if outputs and not carried else SCAN
        return self._finish(LoopPlan(form, self.loop, self.fn, carried, outputs, xs=xs,
                                     step_target=target))

    def _jnp(self) -> str:
        return local_name(self.imports, "jax.numpy") or "jax.numpy"

    # -- checks ------------------------------------------------------------------------------
    def _body(self) -> list[ast.stmt]:
        return self.node.body

    def _check_statements(self) -> None:
        starts = [s.lineno for s in self._body()]
        if len(set(starts)) != len(starts):
            raise _Refuse("the body has statements joined by `;` on one line")
        # the one ``if cond: break`` / ``continue`` / ``return v`` becomes the done flag
        allowed = {id(n) for n in ast.walk(self.stop.body[0])} if self.stop is not None else ()
        for stmt in self._body():
            for sub in walk_scope(stmt):
                if id(sub) in allowed:
                    continue
                reason = _FORBIDDEN.get(type(sub))
                if reason is not None and not (
                        isinstance(sub, (ast.Break, ast.Continue)) and _inside_inner_loop(
                            sub, stmt)):
                    raise _Refuse(f"the body has {reason}")
                if isinstance(sub, _SCOPE_DEFS):
                    raise _Refuse("the body defines a function or class")

    def _check_effects(self, outputs: set[str]) -> None:
        body_names = set(self.body_stores)
        for stmt in self._body():
            for sub in ast.walk(stmt):  # lambdas included: their calls run in the step too
                if isinstance(sub, (ast.Assign, ast.AugAssign, ast.AnnAssign)):
                    targets = sub.targets if isinstance(sub, ast.Assign) else [sub.target]
                    for t in targets:
                        for part in ast.walk(t):
                            if isinstance(part, ast.Attribute) and isinstance(part.ctx, ast.Store):
                                raise _Refuse(f"the body assigns `{ast.unparse(part)}`")
                            if isinstance(part, ast.Subscript) and isinstance(part.ctx, ast.Store):
                                raise _Refuse(f"the body assigns into `{ast.unparse(part)}`")
                elif isinstance(sub, ast.Call):
                    self._check_call(sub, outputs, body_names)

    def _check_call(self, call: ast.Call, outputs: set[str], body_names: set[str]) -> None:
        func = call.func
        qual = self.imports.qualname(func)
        shown = ast.unparse(func)
        if qual is not None:
            if qual.startswith(_EFFECT_PREFIXES):
                raise _Refuse(f"the body calls `{shown}`, which would run once at trace time "
                              "instead of once per step")
            if qual.startswith(_PURE_PREFIXES) or qual.startswith("numpy."):
                return
            self._unknown(shown)
            return
        if isinstance(func, ast.Name):
            if func.id in _EFFECT_BUILTINS and func.id not in body_names:
                raise _Refuse(f"the body calls `{func.id}()`, which would run once at trace "
                              "time instead of once per step")
            if func.id in _PURE_BUILTINS and func.id not in body_names:
                return
            callee = self.index.resolve_function(func, self.fn)
            if callee is not None and is_pure_function(self.index, callee):
                return
            self._unknown(shown)
            return
        if isinstance(func, ast.Attribute):
            holder = func.value
            if isinstance(holder, ast.Name) and func.attr in _MUTATORS:
                if holder.id in outputs:
                    return  # the output's own append, handled by the plan
                if holder.id not in body_names:
                    raise _Refuse(f"the body mutates `{holder.id}` (`{shown}`)")
                return  # a list built and used within one step
            if func.attr in _ARRAY_METHODS or isinstance(holder, ast.Subscript) and \
                    isinstance(holder.value, ast.Attribute) and holder.value.attr == "at":
                return
            callee = self.index.resolve_function(func, self.fn)
            if callee is not None and is_pure_function(self.index, callee):
                return
        self._unknown(shown)

    def _unknown(self, shown: str) -> None:
        note = (f"`{shown}` may have Python side effects: they would run once, at trace time, "
                "not once per step")
        if note not in self.notes:
            self.notes.append(note)

    def _check_growth(self) -> None:
        for grow in self.facts.grows:
            if any(l is self.loop for l in grow.loop.enclosing()):
                raise _Refuse(f"`{grow.name}` grows every step ({grow.func}): its shape "
                              "changes, so it cannot be a loop carry")

    def _check_index(self, target: ast.expr) -> Optional[str]:
        """The loop index may only index arrays: as a traced int32 anything else changes."""
        if not isinstance(target, ast.Name):
            raise _Refuse("the loop index is not a plain name")
        name = target.id
        env = self.loop.env_after
        for stmt in self._body():
            parents = parent_map(stmt)
            for sub in walk_scope(stmt):
                if isinstance(sub, ast.Name) and sub.id == name:
                    if isinstance(sub.ctx, ast.Store):
                        raise _Refuse(f"the body reassigns the loop index `{name}`")
                    subscript = _index_owner(sub, parents)
                    base = subscript.value if subscript is not None else None
                    if isinstance(base, ast.Name) and base.id in env \
                            and env[base.id].kind is Kind.STATIC:
                        raise _Refuse(f"the loop index `{name}` indexes the Python value "
                                      f"`{base.id}`, which a traced index cannot index")
                    if subscript is None and not self._value_argument(sub, parents):
                        raise _Refuse(
                            f"the loop index `{name}` is used as a Python number "
                            f"(`{ast.unparse(parents.get(sub, sub))}`): it would become a "
                            "traced int32")
        self._check_derived(name)
        return name

    def _check_derived(self, index: str) -> None:
        """Values computed from the index (``start = offsets[i]``) become traced too: as a
        slice bound or a Python condition they would stop the rewrite from tracing (or were
        static only because the index was a Python int)."""
        derived = {index}
        body = self._body()
        for _ in range(2):
            for stmt in body:
                for sub in walk_scope(stmt):
                    if isinstance(sub, ast.Assign) and loads(sub.value) & derived:
                        for t in sub.targets:
                            derived |= set(target_names(t))
        derived.discard(index)
        if not derived:
            return
        for stmt in body:
            for sub in walk_scope(stmt):
                static_parts = []
                if isinstance(sub, ast.Slice):
                    static_parts = [p for p in (sub.lower, sub.upper, sub.step) if p is not None]
                elif isinstance(sub, (ast.If, ast.While, ast.IfExp, ast.Assert)):
                    static_parts = [sub.test]
                elif isinstance(sub, ast.Call) and isinstance(sub.func, ast.Name) \
                        and sub.func.id in ("range", "int", "float", "bool", "len"):
                    static_parts = list(sub.args)
                for part in static_parts:
                    used = loads(part) & derived
                    if used:
                        raise _Refuse(f"`{sorted(used)[0]}` is computed from the loop index "
                                      f"and used where a static value is needed "
                                      f"(`{ast.unparse(part)}`): it would become traced")

    def _value_argument(self, name: ast.Name, parents: dict) -> bool:
        """``jnp.where(c, i, best)`` / ``jnp.maximum(i, k)``: the index used as a value gives
        the same numbers and dtype as a traced int32 as it did as a Python int."""
        call = parents.get(name)
        if not isinstance(call, ast.Call) or name not in call.args or call.keywords:
            return False
        qual = self.imports.qualname(call.func)
        if qual in ("jax.numpy.maximum", "jax.numpy.minimum"):
            return True
        return qual == "jax.numpy.where" and call.args.index(name) in (1, 2)

    # -- dataflow ----------------------------------------------------------------------------
    def _carried(self, outputs: set[str]) -> list[str]:
        node = self.node
        body = self._body()
        targets = set(target_names(node.target)) if isinstance(node, ast.For) else set()
        assigned = [n for n in self.body_stores if n not in targets]
        live_in = reads_before_writes(body, targets)
        if isinstance(node, ast.While):
            live_in |= loads(node.test)
        live_out = self._live_after()
        if self._stops_by_return():
            live_out |= loads(self.stop.body[0].value)
        for stmt in getattr(node, "orelse", ()):  # the else block reads them after the loop
            live_out |= loads(stmt)
        leaked = targets & live_out
        if leaked:
            raise _Refuse(f"the loop variable `{sorted(leaked)[0]}` is read after the loop "
                          "(Python keeps its last value)")
        carried = [n for n in assigned if n in live_in or n in live_out]
        bound = self._bound_before()
        env = self.loop.env_after
        inits = self._initial_values()
        for name in carried:
            if name not in bound:
                raise _Refuse(f"`{name}` is first assigned inside the loop but read after it")
            init = inits.get(name)
            if isinstance(init, ast.Constant) and init.value is None:
                raise _Refuse(f"`{name}` starts as None: its type changes in the first step "
                              "(peel the first step by hand)")
            if _is_number(init) and self.node.body and name in self.body_stores:
                note = (f"`{name}` starts as a Python number: if the loop turns it into an "
                        "array of another shape, the rewrite raises a TypeError at trace time")
                if note not in self.notes:
                    self.notes.append(note)
            val = env.get(name)
            if val is not None and val.kind <= Kind.SHAPE and self._float_arithmetic(name):
                raise _Refuse(f"`{name}` is a Python float updated in Python: as a carry it "
                              "would be computed in float32 instead of float64")
        self._check_integer_carries(carried, inits)
        return carried

    def _check_integer_carries(self, carried: list[str], inits: dict[str, ast.expr]) -> None:
        """A strongly typed integer carry must stay integer: lax loops fix the carry's dtype."""
        ints = {n for n in carried if dtypes.strong_integer_start(inits.get(n), self.imports)}
        if not ints:
            return
        known = ints | self._integer_indices()
        updates = [(t, s.value, s) for s in walk_scope(self.node) if isinstance(
            s, (ast.Assign, ast.AugAssign)) for t in (s.targets if isinstance(s, ast.Assign)
                                                       else [s.target])]
        for _ in range(2):  # names computed from integers in the body are integers too
            for target, value, _stmt in updates:
                if isinstance(target, ast.Name) and not isinstance(_stmt, ast.AugAssign) \
                        and dtypes.non_integer_part(value, known, self.imports) is None:
                    known.add(target.id)
        for target, value, stmt in updates:
            if not (isinstance(target, ast.Name) and target.id in ints):
                continue
            expr = ast.BinOp(target, stmt.op, value) if isinstance(stmt, ast.AugAssign) \
                else value
            bad = dtypes.non_integer_part(expr, known, self.imports)
            if bad is not None:
                raise _Refuse(f"`{target.id}` starts as an integer array and "
                              f"`{ast.unparse(bad)}` may make it a float: a lax loop's carry "
                              "keeps one dtype (start it as a float if that is meant)")

    def _integer_indices(self) -> set[str]:
        """Loop variables that are integers: the index of ``range`` and of ``enumerate``."""
        node = self.node
        if not isinstance(node, ast.For) or not isinstance(node.iter, ast.Call) \
                or not isinstance(node.iter.func, ast.Name):
            return set()
        name = node.iter.func.id
        inner = node.iter.args[0] if node.iter.args else None
        if name == "reversed" and isinstance(inner, ast.Call) \
                and isinstance(inner.func, ast.Name):
            name = "range" if inner.func.id == "range" else ""
        if name == "range" and isinstance(node.target, ast.Name):
            return {node.target.id}
        if name == "enumerate" and isinstance(node.target, ast.Tuple) \
                and isinstance(node.target.elts[0], ast.Name):
            return {node.target.elts[0].id}
        return set()

    def _initial_values(self) -> dict[str, ast.expr]:
        """The last plain assignment of each name before the loop, in this function."""
        out: dict[str, tuple[int, ast.expr]] = {}
        for sub in walk_scope(self.fn.node):
            if isinstance(sub, ast.Assign) and sub.lineno < self.node.lineno:
                for t in sub.targets:
                    if isinstance(t, ast.Name) and (t.id not in out or out[t.id][0] < sub.lineno):
                        out[t.id] = (sub.lineno, sub.value)
        return {k: v for k, (_, v) in out.items()}

    def _float_arithmetic(self, name: str) -> bool:
        """Is ``name`` ever given a float literal or a true division? Integer counters
        (``i = 0`` ... ``i += 1``) are exact as int32 carries; floats are not."""
        for sub in walk_scope(self.fn.node):
            if isinstance(sub, (ast.Assign, ast.AugAssign, ast.AnnAssign)):
                targets = sub.targets if isinstance(sub, ast.Assign) else [sub.target]
                if not any(name in target_names(t) for t in targets) or sub.value is None:
                    continue
                if isinstance(sub, ast.AugAssign) and isinstance(sub.op, ast.Div):
                    return True
                for part in ast.walk(sub.value):
                    if isinstance(part, ast.Constant) and isinstance(part.value, (float, complex)):
                        return True
                    if isinstance(part, ast.BinOp) and isinstance(part.op, (ast.Div, ast.Pow)):
                        return True
        return name not in stores(self.fn.node.body)  # bound elsewhere: assume the worst

    def _live_after(self) -> set[str]:
        """Names read after the loop, or anywhere in an enclosing loop (its next step)."""
        fn_node = self.fn.node
        end = (self.node.end_lineno, self.node.end_col_offset)
        outer = self.loop.parent
        outer_span = None
        while outer is not None:
            outer_span = (outer.node.lineno, outer.node.end_lineno)
            outer = outer.parent
        shadowed = _rebinding_loops(fn_node, end)
        out = set()
        body = [fn_node.body] if isinstance(fn_node, ast.Lambda) else fn_node.body
        for stmt in body:
            for sub in ast.walk(stmt):
                if isinstance(sub, ast.Name) and isinstance(sub.ctx, ast.Load):
                    pos = (sub.lineno, sub.col_offset)
                    if pos > end and not any(sub.id in names and lo <= sub.lineno <= hi
                                             for names, lo, hi in shadowed):
                        out.add(sub.id)
                    elif outer_span and outer_span[0] <= sub.lineno <= outer_span[1] and not (
                            self.node.lineno <= sub.lineno <= self.node.end_lineno):
                        out.add(sub.id)
        return out

    def _bound_before(self) -> set[str]:
        """Names with a value when the loop starts: parameters, earlier assignments,
        closures and module globals."""
        out: set[str] = set()
        fn: Optional[FunctionInfo] = self.fn
        while fn is not None:
            args = fn.node.args
            out.update(a.arg for a in args.posonlyargs + args.args + args.kwonlyargs)
            out.update(a.arg for a in (args.vararg, args.kwarg) if a is not None)
            fn = fn.parent
        start = self.node.lineno
        for sub in walk_scope(self.fn.node):  # this function's own scope, not nested ones
            if isinstance(sub, ast.Name) and isinstance(sub.ctx, ast.Store) \
                    and sub.lineno < start:
                out.add(sub.id)
        if self.fn.parent is not None:
            out.update(stores(self.fn.parent.node.body))
        out.update(self.index.module_names())
        return out

    # -- outputs -----------------------------------------------------------------------------
    def _outputs(self) -> list[Output]:
        body = self._body()
        local = set(self.body_stores)
        appended: dict[str, list[ast.Call]] = {}
        for stmt in body:
            for sub in walk_scope(stmt):
                if isinstance(sub, ast.Call) and isinstance(sub.func, ast.Attribute) \
                        and isinstance(sub.func.value, ast.Name) \
                        and sub.func.attr in ("append", "extend", "insert") \
                        and sub.func.value.id not in local:
                    appended.setdefault(sub.func.value.id, []).append(sub)
                elif isinstance(sub, ast.AugAssign) and isinstance(sub.target, ast.Name) \
                        and isinstance(sub.value, (ast.List, ast.Tuple)):
                    raise _Refuse(f"`{sub.target.id} += [...]` instead of "
                                  f"`{sub.target.id}.append` for a per-step output")
        return [self._output(name, calls) for name, calls in appended.items()]

    def _output(self, name: str, calls: list[ast.Call]) -> Output:
        if len(calls) != 1 or calls[0].func.attr != "append" or len(calls[0].args) != 1:
            raise _Refuse(f"`{name}` is not appended exactly once per step")
        call = calls[0]
        stmt = next((s for s in self._body() if isinstance(s, ast.Expr) and s.value is call),
                    None)
        if stmt is None:
            raise _Refuse(f"`{name}.append` is conditional or nested: the number of outputs "
                          "would depend on the data")
        uses = [n for s in self._body() for n in walk_scope(s)
                if isinstance(n, ast.Name) and n.id == name]
        if len(uses) != 1:
            raise _Refuse(f"`{name}` is read inside the loop")
        fact = next((a for a in self.facts.appends if a.node is call), None)
        if fact is None or fact.value.kind < Kind.PYTREE:
            raise _Refuse(f"`{name}` collects Python values, not traced arrays")
        init = self._init(name)
        consumer, axis, reverse = self._consumer(name)
        return Output(name, init, stmt, call.args[0], consumer, axis, reverse)

    def _init(self, name: str) -> ast.Assign:
        block = _enclosing_block(self.fn.node, self.node)
        if block is None:
            raise _Refuse(f"`{name} = []` is not in the loop's block")
        pos = block.index(self.node)
        for stmt in reversed(block[:pos]):
            if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1 \
                    and isinstance(stmt.targets[0], ast.Name) and stmt.targets[0].id == name:
                if isinstance(stmt.value, ast.List) and not stmt.value.elts:
                    return stmt
                break
            if name in loads(stmt) or name in stores([stmt]):
                break
        raise _Refuse(f"`{name}` is not created as `[]` just before the loop")

    def _tree_stack(self, call, starred: ast.Starred) -> bool:
        """``jax.tree.map(lambda *xs: jnp.stack(xs), *outs)``: the scan's ys for steps that
        append a tuple or dict of arrays."""
        if not (isinstance(call, ast.Call) and not call.keywords and len(call.args) == 2
                and call.args[1] is starred and isinstance(call.args[0], ast.Lambda)
                and self.imports.qualname(call.func) in ("jax.tree.map",
                                                         "jax.tree_util.tree_map")):
            return False
        fn = call.args[0]
        params = fn.args
        if params.vararg is None or params.args or params.posonlyargs or params.kwonlyargs \
                or params.kwarg is not None:
            return False
        body = fn.body
        return isinstance(body, ast.Call) and not body.keywords and len(body.args) == 1 \
            and self.imports.qualname(body.func) == "jax.numpy.stack" \
            and isinstance(body.args[0], ast.Name) and body.args[0].id == params.vararg.arg

    def _consumer(self, name: str) -> tuple[ast.Call, int, bool]:
        end = self.node.end_lineno
        uses = []
        parents = parent_map(self.fn.node)
        for sub in walk_scope(self.fn.node):
            if isinstance(sub, ast.Name) and sub.id == name and isinstance(sub.ctx, ast.Load) \
                    and not (self.node.lineno <= sub.lineno <= end):
                uses.append(sub)
        uses.sort(key=lambda n: (n.lineno, n.col_offset))
        # ``outs = outs[::-1]`` before the stack means the same on the stacked array.
        while len(uses) > 1 and _is_self_reverse(parents.get(parents.get(uses[0])), name):
            uses.pop(0)
        if len(uses) != 1 or uses[0].lineno <= end:
            raise _Refuse(f"`{name}` is used after the loop other than in one `jnp.stack`")
        arg: ast.expr = uses[0]
        call = parents.get(arg)
        reverse = False
        if isinstance(call, ast.Subscript) and call.value is arg and _is_reverse(call.slice):
            arg, call, reverse = call, parents.get(call), True  # jnp.stack(outs[::-1])
        if isinstance(call, ast.Starred) and self._tree_stack(parents.get(call), call):
            return parents[call], 0, reverse  # pytree steps: stacked leaf by leaf, as scan does
        if not isinstance(call, ast.Call) or not call.args or call.args[0] is not arg \
                or self.imports.qualname(call.func) not in _STACKERS:
            raise _Refuse(f"`{name}` is consumed by something other than jnp.stack / "
                          "jnp.array / jnp.asarray / a jax.tree.map stack")
        qual = self.imports.qualname(call.func)
        axis = 0
        extra = list(call.args[1:]) + [k.value for k in call.keywords if k.arg == "axis"]
        if any(k.arg != "axis" for k in call.keywords) or len(extra) > 1 or (
                extra and qual != "jax.numpy.stack"):
            raise _Refuse(f"`{ast.unparse(call)}` has arguments the rewrite does not handle")
        if extra:
            value = extra[0]
            if isinstance(value, ast.UnaryOp) and isinstance(value.op, ast.USub) \
                    and isinstance(value.operand, ast.Constant):
                axis = -value.operand.value
            elif isinstance(value, ast.Constant) and isinstance(value.value, int):
                axis = value.value
            else:
                raise _Refuse("the stacking axis is not a literal")
        return call, axis, reverse


_SCOPE_DEFS = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)


def _array_expr(expr: ast.expr) -> str:
    """An argument of ``zip`` as an array: ``reversed(ys)`` is ``ys[::-1]``."""
    if isinstance(expr, ast.Call) and isinstance(expr.func, ast.Name):
        if expr.func.id == "reversed" and len(expr.args) == 1 and not expr.keywords:
            return f"{ast.unparse(expr.args[0])}[::-1]"
        if expr.func.id in ("zip", "range", "enumerate", "reversed", "iter", "map", "filter"):
            raise _Refuse(f"`zip` over `{expr.func.id}(...)` is not supported")
    return ast.unparse(expr)


def _is_static_expr(expr: ast.expr, env) -> bool:
    """A literal, a shape (``xs.shape[0]``, ``len(xs)``) or a name holding a static value."""
    if isinstance(expr, ast.Constant) and isinstance(expr.value, int):
        return True
    if isinstance(expr, ast.Name):
        val = env.get(expr.id)
        return val is not None and val.kind <= Kind.SHAPE
    return any(isinstance(n, ast.Attribute) and n.attr == "shape" for n in ast.walk(expr)) \
        and not any(isinstance(n, ast.Name) and n.id in env and env[n.id].kind is Kind.TRACED
                    and not _shape_of(n, expr) for n in ast.walk(expr))


def _shape_of(name: ast.Name, expr: ast.expr) -> bool:
    return any(isinstance(n, ast.Attribute) and n.attr == "shape" and n.value is name
               for n in ast.walk(expr))


def _is_number(expr: Optional[ast.expr]) -> bool:
    if isinstance(expr, ast.UnaryOp) and isinstance(expr.op, (ast.USub, ast.UAdd)):
        expr = expr.operand
    return isinstance(expr, ast.Constant) and isinstance(expr.value, (int, float)) \
        and not isinstance(expr.value, bool)


def _stop_statement(loop) -> Optional[ast.If]:
    """The body's one top-level ``if <cond>: break`` / ``continue`` / ``return <value>`` (no
    else), when it is the body's only jump out of the step."""
    if not isinstance(loop, ast.For):
        return None
    candidates = [s for s in loop.body if isinstance(s, ast.If) and not s.orelse
                  and len(s.body) == 1 and (isinstance(s.body[0], (ast.Break, ast.Continue))
                                            or isinstance(s.body[0], ast.Return)
                                            and s.body[0].value is not None)]
    if len(candidates) != 1:
        return None
    jumps = [n for s in loop.body for n in walk_scope(s)
             if isinstance(n, ast.Return) or isinstance(n, (ast.Break, ast.Continue))
             and not _inside_inner_loop(n, s)]
    return candidates[0] if len(jumps) == 1 else None


def _is_self_reverse(stmt, name: str) -> bool:
    return isinstance(stmt, ast.Assign) and len(stmt.targets) == 1 \
        and isinstance(stmt.targets[0], ast.Name) and stmt.targets[0].id == name \
        and isinstance(stmt.value, ast.Subscript) and isinstance(stmt.value.value, ast.Name) \
        and stmt.value.value.id == name and _is_reverse(stmt.value.slice)


def _is_reverse(index: ast.expr) -> bool:
    return isinstance(index, ast.Slice) and index.lower is None and index.upper is None \
        and isinstance(index.step, ast.UnaryOp) and isinstance(index.step.op, ast.USub) \
        and isinstance(index.step.operand, ast.Constant) and index.step.operand.value == 1


def _args(call: ast.Call) -> str:
    return ", ".join(ast.unparse(a) for a in call.args)


def _keyword_or_arg(call: ast.Call, name: str, position: int) -> Optional[ast.expr]:
    if len(call.args) > position:
        return call.args[position]
    for k in call.keywords:
        if k.arg == name:
            return k.value
    return None




def _index_owner(name: ast.Name, parents: dict) -> Optional[ast.Subscript]:
    """The subscript ``name`` indexes: ``xs[i]``, ``xs[i + 1]``, ``xs[:, i]``, ``xs.at[i]``."""
    node: ast.AST = name
    while True:
        parent = parents.get(node)
        if isinstance(parent, ast.BinOp) and isinstance(parent.op, (ast.Add, ast.Sub)) and all(
                isinstance(side, ast.Name) or isinstance(side, ast.Constant)
                and isinstance(side.value, int) for side in (parent.left, parent.right)):
            node = parent
            continue
        if isinstance(parent, ast.Tuple):
            node = parent
            continue
        return parent if isinstance(parent, ast.Subscript) and parent.slice is node else None


def _inside_inner_loop(node: ast.AST, stmt: ast.stmt) -> bool:
    """A break / continue that belongs to a loop nested in the body."""
    for sub in ast.walk(stmt):
        if isinstance(sub, (ast.For, ast.While)) and any(n is node for n in ast.walk(sub)):
            return True
    return False


def _enclosing_block(fn_node, target: ast.stmt) -> Optional[list]:
    for node in ast.walk(fn_node):
        for field_name in ("body", "orelse", "finalbody"):
            block = getattr(node, field_name, None)
            if isinstance(block, list) and any(s is target for s in block):
                return block
    return None


def _rebinding_loops(fn_node, after: tuple[int, int]) -> list[tuple[set[str], int, int]]:
    """Later ``for`` loops: a read of their target inside them sees their own binding."""
    out = []
    for node in ast.walk(fn_node):
        if isinstance(node, ast.For) and (node.lineno, node.col_offset) > after:
            out.append((set(target_names(node.target)), node.lineno, node.end_lineno))
    return out


def local_name(imports, qualname: str) -> Optional[str]:
    """How this module spells ``jax.lax`` / ``jax.numpy``: ``lax``, ``jnp``, ``jax.lax``."""
    for local, qual in imports.names.items():
        if qual == qualname:
            return local
    parent, _, attr = qualname.rpartition(".")
    if parent:
        base = local_name(imports, parent)
        if base is not None:
            return f"{base}.{attr}"
    return None


def is_pure_function(index: ModuleIndex, fn: FunctionInfo, depth: int = 0) -> bool:
    """A function of this module whose body has no statement or call with Python effects."""
    cache = index.purity
    if fn in cache:
        return cache[fn]
    cache[fn] = False  # recursion counts as impure
    pure = depth < 4 and _pure_body(index, fn, depth)
    cache[fn] = pure
    return pure


def _pure_body(index: ModuleIndex, fn: FunctionInfo, depth: int) -> bool:
    node = fn.node
    body = [node.body] if isinstance(node, ast.Lambda) else node.body
    local = set(stores(body)) | {a.arg for a in node.args.args + node.args.kwonlyargs}
    for stmt in body:
        for sub in walk_scope(stmt):
            if isinstance(sub, (ast.Global, ast.Nonlocal, ast.Yield, ast.YieldFrom, ast.Await)):
                return False
            if isinstance(sub, (ast.Attribute, ast.Subscript)) and isinstance(
                    sub.ctx, (ast.Store, ast.Del)):
                return False
            if isinstance(sub, ast.Call):
                func = sub.func
                qual = index.imports.qualname(func)
                if qual is not None:
                    if qual.startswith(_EFFECT_PREFIXES) or not (
                            qual.startswith(_PURE_PREFIXES) or qual.startswith("numpy.")):
                        return False
                    continue
                if isinstance(func, ast.Name):
                    if func.id in _EFFECT_BUILTINS:
                        return False
                    if func.id in _PURE_BUILTINS and func.id not in local:
                        continue
                    callee = index.resolve_function(func, fn)
                    if callee is None or not is_pure_function(index, callee, depth + 1):
                        return False
                elif isinstance(func, ast.Attribute):
                    if func.attr in _MUTATORS and not (
                            isinstance(func.value, ast.Name) and func.value.id in local):
                        return False
                    if func.attr not in _ARRAY_METHODS:
                        return False
                else:
                    return False
    return True
