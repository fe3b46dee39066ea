"""The question the planner asks of a loop: what type does each carry have before the loop and
after one step, and is it the same?"""
from __future__ import annotations

import ast
from dataclasses import dataclass
from typing import Callable, Iterable, Optional

from ..imports import ImportMap
from . import dtypes as dt
from .exprs import Evaluator
from .value import UNKNOWN, AbsVal, array, forget_contents, holds_mutable
from .walker import FunctionValues, _assigned, has_counter


def scan_index(x64: Optional[bool] = False) -> AbsVal:
    """The counter of a scan over ``jnp.arange(n)``: a strongly typed int32 scalar."""
    return array(dt.default("i", x64), False, ())


def fori_index(x64: Optional[bool] = False) -> AbsVal:
    """``lax.fori_loop``'s counter with Python int bounds: a weakly typed int32 scalar."""
    return array(dt.default("i", x64), True, ())


@dataclass(frozen=True)
class CarryTypes:
    """One name around one loop.

    ``start``: before the first iteration. ``after_one_step``: after the body runs once from
    ``start`` in the original program (a ``range`` / ``enumerate`` counter is a Python int);
    None if the body never completes an iteration. ``after_one_step_traced_index``: the same
    with the counter a traced scalar (the rewrite's), or None for a loop without a counter.
    ``any_step``: at the top of any iteration (and after the loop). ``bound_before``: the name
    has a value before the loop (else reading it after zero iterations raises).

    ``same_type(start, after_one_step)`` for every carry of a loop proves each step keeps the
    carries' types only together: a step's result type is a function of all the carries' types,
    so one carry that changes (a Python int that counts) can change the others on later steps.
    ``any_step`` covers every iteration on its own.
    """

    start: AbsVal
    after_one_step: Optional[AbsVal]
    after_one_step_traced_index: Optional[AbsVal]
    any_step: AbsVal
    bound_before: bool


def loop_carry_types(values: FunctionValues, loop: ast.AST, names: Iterable[str],
                     index: Optional[AbsVal] = None) -> dict[str, CarryTypes]:
    rec = values.loop(loop)
    after = values.step(loop)
    counter = None
    ev = Evaluator(values.imports, dict(rec.start), values.lookup, values.x64,
                   values.volatile, values.local)
    if has_counter(loop, ev.is_builtin):
        counter = values.step(loop, index=index if index is not None else
                              scan_index(values.x64))
    out = {}
    for name in names:
        bound = name in rec.start
        if bound:
            start = rec.start[name]
        elif name in values.local:
            start = UNKNOWN  # a local not bound yet
        else:
            start = ev.name(name)
            bound = start is not UNKNOWN or name in values.params
        out[name] = CarryTypes(
            start=start,
            after_one_step=None if after is None else after.get(name, start),
            after_one_step_traced_index=None if counter is None else counter.get(name, start),
            any_step=rec.head.get(name, start),
            bound_before=bound)
    return out


def carry_types(function: ast.AST, loop: ast.AST, names: Iterable[str],
                params: Optional[dict[str, AbsVal]] = None, *, imports: ImportMap,
                lookup: Optional[Callable[[str], Optional[AbsVal]]] = None,
                x64: Optional[bool] = False,
                index: Optional[AbsVal] = None) -> dict[str, CarryTypes]:
    """Start, one-step and any-step values of ``names`` around ``loop`` (a ``for`` / ``while``
    in ``function``'s own body). To ask about several loops of one function, make one
    ``FunctionValues`` and call ``loop_carry_types`` on it: the function is walked once."""
    values = FunctionValues(function, imports, params, lookup=lookup, x64=x64)
    return loop_carry_types(values, loop, names, index)


def module_lookup(tree: ast.Module, imports: ImportMap,
                  x64: Optional[bool] = False) -> Callable[[str], Optional[AbsVal]]:
    """Values of module-level names for ``lookup``: a name assigned once at the top level (and
    declared ``global`` by no function) has that value; every other module-level name is
    unknown (so it is never mistaken for a builtin). Lists' contents are never kept: any code
    may mutate them."""
    counts: dict[str, int] = {}
    for stmt in tree.body:
        for name in _assigned([stmt]):
            counts[name] = counts.get(name, 0) + 1
        if isinstance(stmt, (ast.Import, ast.ImportFrom)):
            for alias in stmt.names:
                name = (alias.asname or alias.name).split(".")[0]
                counts[name] = counts.get(name, 0) + 1
    rebound = {n for node in ast.walk(tree) if isinstance(node, ast.Global) for n in node.names}
    env: dict[str, AbsVal] = {}
    ev = Evaluator(imports, env, None, x64)
    for stmt in tree.body:
        if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1 and \
                isinstance(stmt.targets[0], ast.Name):
            name = stmt.targets[0].id
            if counts.get(name) == 1 and name not in rebound:
                v = ev(stmt.value)
                env[name] = forget_contents(v) if holds_mutable(v) else v
    values = {name: env.get(name, UNKNOWN) for name in counts if name not in imports.names}
    return values.get
