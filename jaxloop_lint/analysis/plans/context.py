"""The loop being planned and what every part of the planner reads about it.

Each concern (iteration, carries, outputs, effects, refusals) is a module of functions over one
``LoopContext``; facts more than one of them needs (the names bound before the loop, their last
values) are computed here once per loop.
"""
from __future__ import annotations

import ast
from functools import cached_property
from typing import Optional

from ..flow import FunctionFacts
from ..index import FunctionInfo, ModuleIndex
from ..loops import LoopModel
from ..names import parent_map, stores, walk_scope, walk_statement


class LoopContext:
    def __init__(self, index: ModuleIndex, facts: FunctionFacts, loop: LoopModel) -> None:
        self.index = index
        self.imports = index.imports
        self.facts = facts
        self.fn = facts.function
        self.loop = loop
        self.node = loop.node
        self.notes: list[str] = []    # why the fix is unsafe, in the order found
        self.body_stores = stores(loop.node.body)
        self.stop = stop_statement(loop.node)
        self.final_return: Optional[ast.Return] = None

    @property
    def body(self) -> list[ast.stmt]:
        return self.node.body

    def note(self, text: str) -> None:
        """An unsafe-fix note, once."""
        if text not in self.notes:
            self.notes.append(text)

    @property
    def stops_by_return(self) -> bool:
        return self.stop is not None and isinstance(self.stop.body[0], ast.Return)

    def local_name(self, qualname: str) -> Optional[str]:
        return local_name(self.imports, qualname)

    @property
    def jnp(self) -> str:
        return self.local_name("jax.numpy") or "jax.numpy"

    # -- the function around the loop --------------------------------------------------------
    @cached_property
    def fn_scope(self) -> list[ast.AST]:
        """The function's own nodes (nested functions not entered), in walk_scope's order."""
        return list(walk_scope(self.fn.node))

    @cached_property
    def fn_parents(self) -> dict:
        return parent_map(self.fn.node)

    @cached_property
    def initial_values(self) -> dict[str, ast.expr]:
        """The last plain assignment of each name before the loop, in this function."""
        out: dict[str, tuple[int, ast.expr]] = {}
        for sub in self.fn_scope:
            if isinstance(sub, ast.Assign) and sub.lineno < self.node.lineno:
                for t in sub.targets:
                    if isinstance(t, ast.Name) and (t.id not in out or out[t.id][0] < sub.lineno):
                        out[t.id] = (sub.lineno, sub.value)
        return {k: v for k, (_, v) in out.items()}

    @cached_property
    def bound_before(self) -> set[str]:
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
        for sub in self.fn_scope:  # this function's own scope, not nested ones
            if isinstance(sub, ast.Name) and isinstance(sub.ctx, ast.Store) \
                    and sub.lineno < start:
                out.add(sub.id)
        if self.fn.parent is not None:
            out.update(stores(self.fn.parent.node.body))
        out.update(self.index.module_names())
        return out

    def assigned_once(self, name: str) -> bool:
        """``name`` is bound by one plain assignment in this function, before the loop."""
        binds = [n for n in self.fn_scope if isinstance(n, ast.Name)
                 and n.id == name and isinstance(n.ctx, ast.Store)]
        return len(binds) == 1 and binds[0].lineno < self.node.lineno and isinstance(
            self.fn_parents.get(binds[0]), ast.Assign)


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


def stop_statement(loop) -> Optional[ast.If]:
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
    jumps = [n for s in loop.body for n in walk_statement(s)
             if isinstance(n, ast.Return) or isinstance(n, (ast.Break, ast.Continue))
             and not inside_inner_loop(n, s)]
    return candidates[0] if len(jumps) == 1 else None


def inside_inner_loop(node: ast.AST, stmt: ast.stmt) -> bool:
    """A break / continue that belongs to a loop nested in the body."""
    for sub in ast.walk(stmt):
        if isinstance(sub, (ast.For, ast.While)) and any(n is node for n in ast.walk(sub)):
            return True
    return False
