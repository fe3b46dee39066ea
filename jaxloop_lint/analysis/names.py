"""Name-level dataflow on statement lists: what a block reads, writes, and reads before writing.

Used by the rewrite plans (AutoGraph's rule: a loop carries the names it modifies that are live
before or after it). Everything here over-approximates liveness: carrying a name too many is
harmless, carrying one too few would silently change numbers.
"""
from __future__ import annotations

import ast
from typing import Iterable, Iterator

_SCOPES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)
_COMPREHENSIONS = (ast.ListComp, ast.SetComp, ast.GeneratorExp, ast.DictComp)


def walk_scope(node: ast.AST) -> Iterator[ast.AST]:
    """ast.walk that yields nested functions, classes and lambdas but does not enter them
    (``node`` itself is entered even when it is one)."""
    todo = [node]
    while todo:
        current = todo.pop()
        yield current
        if isinstance(current, _SCOPES) and current is not node:
            continue
        todo.extend(ast.iter_child_nodes(current))


def walk_statement(stmt: ast.AST) -> Iterator[ast.AST]:
    """The nodes of one statement of a block, like walk_scope, but a ``def`` / ``class``
    statement is not entered either: its body runs in a scope of its own, when called."""
    if isinstance(stmt, _SCOPES):
        yield stmt
        return
    yield from walk_scope(stmt)


def loads(expr: ast.AST) -> set[str]:
    """Names an expression reads (comprehension variables excluded)."""
    out, local = set(), set()
    for node in walk_scope(expr):
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load):
            out.add(node.id)
        elif isinstance(node, _COMPREHENSIONS):
            for gen in node.generators:
                local.update(n.id for n in ast.walk(gen.target) if isinstance(n, ast.Name))
    for node in ast.walk(expr):  # names read inside lambdas are read too (closures)
        if isinstance(node, ast.Lambda):
            params = {a.arg for a in node.args.args + node.args.kwonlyargs}
            out.update(n.id for n in ast.walk(node.body)
                       if isinstance(n, ast.Name) and n.id not in params)
    return out - local


def target_names(target: ast.AST) -> list[str]:
    return [n.id for n in ast.walk(target) if isinstance(n, ast.Name)
            and isinstance(n.ctx, ast.Store)]


def stores(stmts: Iterable[ast.stmt]) -> list[str]:
    """Names bound anywhere in the statements (nested scopes excluded), in order of appearance."""
    out: list[str] = []
    for stmt in stmts:
        if isinstance(stmt, _SCOPES[:3]):
            if stmt.name not in out:
                out.append(stmt.name)
            continue
        for node in walk_scope(stmt):
            if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store) \
                    and node.id not in out:
                out.append(node.id)
            elif isinstance(node, _SCOPES[:3]) and node is not stmt and node.name not in out:
                out.append(node.name)
    return out


def _target_reads(target: ast.AST) -> set[str]:
    """``a[i] = v`` and ``a.b = v`` read ``a`` and ``i``."""
    if isinstance(target, (ast.Subscript, ast.Attribute)):
        return loads(target)
    if isinstance(target, (ast.Tuple, ast.List)):
        out = set()
        for elt in target.elts:
            out |= _target_reads(elt)
        return out
    if isinstance(target, ast.Starred):
        return _target_reads(target.value)
    return set()


def reads_before_writes(stmts: list[ast.stmt], defined: set[str] | None = None) -> set[str]:
    """Names some path through ``stmts`` reads before the block has assigned them."""
    found: set[str] = set()
    _block(stmts, set(defined or ()), found)
    return found


def _block(stmts, defined: set[str], found: set[str]) -> set[str]:
    for stmt in stmts:
        defined = _stmt(stmt, defined, found)
    return defined


def _read(expr, defined, found):
    if expr is not None:
        found.update(loads(expr) - defined)


def _stmt(stmt, defined: set[str], found: set[str]) -> set[str]:
    kind = type(stmt)
    if kind is ast.Assign:
        _read(stmt.value, defined, found)
        for t in stmt.targets:
            found.update(_target_reads(t) - defined)
        return defined | {n for t in stmt.targets for n in target_names(t)}
    if kind is ast.AugAssign:
        _read(stmt.value, defined, found)
        found.update((loads(stmt.target) | _target_reads(stmt.target)) - defined)
        if isinstance(stmt.target, ast.Name):
            if stmt.target.id not in defined:  # ``acc += x`` reads acc first
                found.add(stmt.target.id)
            return defined | {stmt.target.id}
        return defined
    if kind is ast.AnnAssign:
        _read(stmt.value, defined, found)
        return defined | set(target_names(stmt.target)) if stmt.value is not None else defined
    if kind is ast.If:
        _read(stmt.test, defined, found)
        return _block(stmt.body, set(defined), found) & _block(stmt.orelse, set(defined), found)
    if kind in (ast.For, ast.AsyncFor):
        _read(stmt.iter, defined, found)
        _block(stmt.body, defined | set(target_names(stmt.target)), found)
        _block(stmt.orelse, set(defined), found)
        return defined  # the loop may run zero times
    if kind is ast.While:
        _read(stmt.test, defined, found)
        _block(stmt.body, set(defined), found)
        _block(stmt.orelse, set(defined), found)
        return defined
    if kind in (ast.With, ast.AsyncWith):
        for item in stmt.items:
            _read(item.context_expr, defined, found)
            if item.optional_vars is not None:
                defined = defined | set(target_names(item.optional_vars))
        return _block(stmt.body, defined, found)
    if kind in (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef):
        # Its decorators and defaults run here; its body reads names when called, which is
        # after this point: reading them here over-approximates (a carry too many is harmless).
        for expr in definition_time_parts(stmt):
            _read(expr, defined, found)
        found.update(free_names(stmt) - defined)
        return defined | {stmt.name}
    for child in ast.iter_child_nodes(stmt):
        if isinstance(child, ast.expr):
            _read(child, defined, found)
    return defined


def definition_time_parts(node: ast.AST) -> list[ast.expr]:
    """The parts of a def, lambda or class the enclosing scope evaluates when it defines it:
    decorators, default values, bases (not the body)."""
    out: list[ast.expr] = list(getattr(node, "decorator_list", ()))
    args = getattr(node, "args", None)
    if isinstance(args, ast.arguments):
        out += list(args.defaults) + [d for d in args.kw_defaults if d is not None]
    if isinstance(node, ast.ClassDef):
        out += list(node.bases) + [k.value for k in node.keywords]
    return out


def free_names(node: ast.AST) -> set[str]:
    """Names a function, lambda, class or generator expression reads from the scopes around
    it when it runs (late binding), nested scopes inside it included. Its decorators and
    defaults are not part of it: they are read once, where it is defined."""
    if isinstance(node, ast.Lambda):
        parts: list[ast.AST] = [node.body]
    elif isinstance(node, _COMPREHENSIONS):
        parts = [node]
    else:
        parts = list(node.body)
    reads: set[str] = set()
    binds: set[str] = set(_param_names(node))
    declared: set[str] = set()
    todo = list(parts)
    while todo:
        sub = todo.pop()
        if isinstance(sub, _SCOPES):
            if not isinstance(sub, ast.Lambda):
                binds.add(sub.name)
            for expr in definition_time_parts(sub):
                reads |= loads(expr)
            reads |= free_names(sub)
            continue
        if isinstance(sub, ast.Name):
            (reads if isinstance(sub.ctx, ast.Load) else binds).add(sub.id)
        elif isinstance(sub, (ast.Global, ast.Nonlocal)):
            declared.update(sub.names)
        elif isinstance(sub, ast.comprehension):
            binds.update(target_names(sub.target))
        todo.extend(ast.iter_child_nodes(sub))
    return reads - (binds - declared) | (reads & declared)


def _param_names(node: ast.AST) -> list[str]:
    args = getattr(node, "args", None)
    if not isinstance(args, ast.arguments):
        return []
    out = [a.arg for a in args.posonlyargs + args.args + args.kwonlyargs]
    return out + [a.arg for a in (args.vararg, args.kwarg) if a is not None]


def fresh_name(base: str, taken: set[str], default: str = "value") -> str:
    """``base``, or ``base_2``, ``base_3``, ...: the first not in ``taken`` (which gets it)."""
    base = base.strip("_") or default
    name, n = base, 2
    while name in taken:
        name, n = f"{base}_{n}", n + 1
    taken.add(name)
    return name


def bound_names(node: ast.AST) -> set[str]:
    """Every name ``node`` binds or reads, its parameters, and the defs and classes in it."""
    out = set()
    for n in ast.walk(node):
        if isinstance(n, ast.Name):
            out.add(n.id)
        elif isinstance(n, ast.arg):
            out.add(n.arg)
        elif isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            out.add(n.name)
    return out


def parent_map(root: ast.AST) -> dict[ast.AST, ast.AST]:
    """Each node under ``root`` -> its parent."""
    return {child: node for node in ast.walk(root) for child in ast.iter_child_nodes(node)}
