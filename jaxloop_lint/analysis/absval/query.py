"""The question the planner asks of a loop: what type does each carry have before the loop and
after one step, and is it the same?"""
from __future__ import annotations

import ast
from dataclasses import dataclass, replace
from typing import Callable, Iterable, Optional

from ..imports import ImportMap
from ..walk import walk
from . import dtypes as dt
from . import shapes as sh
from .exprs import Evaluator
from .value import SEQUENCES, UNKNOWN, AbsVal, Kind, array, forget_contents, holds_mutable
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


def entry_symbols(env: dict[str, AbsVal]) -> dict[str, AbsVal]:
    """``env`` with each unknown dtype, shape or dimension of an array replaced by a symbol
    for its value on entry to the loop ("the dtype `h` has before the loop"). True by
    definition, and it lets one step show that it keeps what it was given: ``h.at[i].set(v)``
    has the shape of ``h``, whatever that is."""
    return {name: _symbolize(v, name) for name, v in env.items()}


def _symbolize(v: AbsVal, path: str) -> AbsVal:
    if v.kind is Kind.ARRAY:
        dtype = v.dtype if v.dtype is not None else dt.TypeTerm("entry", (path,), label=path)
        shape = v.shape
        if shape is None:
            shape = sh.sym(("entry", path))
        elif isinstance(shape, tuple) and None in shape:
            shape = tuple(sh.atom_dim(("dim", ("entry", path), i)) if d is None else d
                          for i, d in enumerate(shape))
        return replace(v, dtype=dtype, shape=shape)
    if v.kind in SEQUENCES and v.items is not None:
        return replace(v, items=tuple(_symbolize(x, f"{path}[{i}]")
                                      for i, x in enumerate(v.items)))
    if v.kind is Kind.INT and v.value is None:
        return replace(v, value=sh.atom_dim(("entry", path)))
    return v


def loop_carry_types(values: FunctionValues, loop: ast.AST, names: Iterable[str],
                     index: Optional[AbsVal] = None,
                     symbols: bool = True) -> dict[str, CarryTypes]:
    """CarryTypes of ``names`` around ``loop``. With ``symbols`` (the default), what is unknown
    about the values on entry is named (see entry_symbols), so ``start`` and
    ``after_one_step`` can be compared even where they are not known."""
    rec = values.loop(loop)
    start_env = entry_symbols(rec.start) if symbols else rec.start
    after = values.step(loop, start_env)
    counter = None
    ev = Evaluator(values.imports, dict(rec.start), values.lookup, values.x64,
                   values.volatile, values.local)
    if has_counter(loop, ev.is_builtin):
        counter = values.step(loop, start_env, index=index if index is not None else
                              scan_index(values.x64))
    out = {}
    for name in names:
        if name in values.volatile:  # global / nonlocal: other code rebinds it
            out[name] = CarryTypes(UNKNOWN, UNKNOWN, UNKNOWN if counter is not None else None,
                                   UNKNOWN, True)
            continue
        bound = name in rec.start
        if bound:
            start = start_env[name]
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
    unknown (so it is never mistaken for a builtin), and so is every name in a module with a
    ``from m import *``. Lists' contents are never kept: any code may mutate them."""
    counts: dict[str, int] = {}
    for stmt in tree.body:
        for name in _assigned([stmt]):
            counts[name] = counts.get(name, 0) + 1
        if isinstance(stmt, (ast.Import, ast.ImportFrom)):
            for alias in stmt.names:
                name = (alias.asname or alias.name).split(".")[0]
                counts[name] = counts.get(name, 0) + 1
    env: dict[str, AbsVal] = {}
    ev = Evaluator(imports, env, None, x64)
    for stmt in tree.body:
        if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1 and \
                isinstance(stmt.targets[0], ast.Name):
            name = stmt.targets[0].id
            if counts.get(name) == 1:
                v = ev(stmt.value)
                env[name] = forget_contents(v) if holds_mutable(v) else v
    values = {name: env.get(name, UNKNOWN) for name in counts if name not in imports.names}
    rebound: list[set] = []
    # ``from m import *`` may bind any name, builtins included: then nothing is known.
    star = any(isinstance(stmt, ast.ImportFrom) and any(a.name == "*" for a in stmt.names)
               for stmt in tree.body)

    def lookup(name: str) -> Optional[AbsVal]:
        if star:
            return UNKNOWN
        v = values.get(name)
        if v is None or v is UNKNOWN:
            return v
        if not rebound:  # a function may rebind it (``global name``): looked for once
            rebound.append({n for node in walk(tree) if type(node) is ast.Global
                            for n in node.names})
        return UNKNOWN if name in rebound[0] else v
    return lookup
