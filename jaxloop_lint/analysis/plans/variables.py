"""Fixes for nnx Variables in lax loop bodies.

JXL301, a read: hoist ``W = self.W[...]`` before the statement that runs the loop and let the
body close over the array. The body is traced once and nothing in it writes ``self.W`` (that
would be JXL302), so every step saw the same value: the hoisted read is the same array.

JXL302, a write: carry the Variable's value through the loop and write it back once after it.
The body gets ``(carry, count)`` where it had ``carry``, reads and writes ``count`` instead of
``self.count``, and returns it; the call's result is unpacked and ``self.count[...] = count``
follows. This is what the original does under ``disable_jit`` and
what it meant; under ``nnx.jit`` the original raises TraceContextError and the fix runs.
Never a plain ``jax.lax`` carry of the Module itself: that updates a copy.
"""
from __future__ import annotations

import ast
from typing import Optional, Union

from .. import jaxapi
from .edits import (INSERT_AFTER, INSERT_BEFORE, PREPEND_BODY, RENAME_PARAM, REPLACE_EXPR,
                    REPLACE_STMT, Code, Edit, EditPlan, Source)
from ..index import ModuleIndex
from ..lax_bodies import BodyFacts
from ..names import bound_names, fresh_name, parent_map, walk_scope
from . import purity
from .types import Refuse as _Refuse, Refusal
from .variable_reach import reached_variables
from .variable_types import keeps_kind, variable_kind

_SIMPLE = (ast.Assign, ast.AugAssign, ast.AnnAssign, ast.Return, ast.Expr)


class VariableAccess:
    """How generated code spells a Variable's read and write, per ``Config.flax_api``."""

    def __init__(self, index: ModuleIndex, flax_api: str) -> None:
        if flax_api == "auto":
            flax_api = "legacy" if _uses_value_only(index.tree) else "current"
        self.legacy = flax_api == "legacy"

    def read(self, holder: str, array: bool) -> str:
        if self.legacy:
            return f"{holder}.value"
        return f"{holder}[...]" if array else f"{holder}.get_value()"

    def write(self, holder: str, value: str, by_index: bool) -> str:
        """``by_index``: the original wrote ``v[...] = x`` (which keeps shape and dtype)."""
        if by_index and not self.legacy:
            return f"{holder}[...] = {value}"
        return f"{holder}.value = {value}" if self.legacy else f"{holder}.set_value({value})"


def _uses_value_only(tree: ast.Module) -> bool:
    """The file reads ``x.value`` and never ``x[...]``: a project on the pre-0.12 flax API."""
    value = ellipsis = False
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and node.attr == "value":
            value = True
        elif isinstance(node, ast.Subscript) and isinstance(node.slice, ast.Constant) \
                and node.slice.value is Ellipsis:
            ellipsis = True
    return value and not ellipsis


class _Body:
    """The lax body, the call that runs it, and the statement that holds the call."""

    def __init__(self, index: ModuleIndex, facts: BodyFacts) -> None:
        self.index = index
        self.facts = facts
        self.fn = facts.body
        self.node = facts.body.node
        self.site = facts.site
        scope = facts.site.scope
        if scope is None or self.fn.parent is not scope and not isinstance(self.node, ast.Lambda):
            raise _Refuse("the body is not defined in the function that runs the loop")
        self.scope = scope
        self.stmt = _statement_holding(scope.node, facts.site.call)
        if self.stmt is None:
            raise _Refuse("the loop call is not in a plain statement")
        self.self_name = self.fn.self_name
        self.cls = self.fn.method_class
        self.parents = parent_map(self.node)

    def occurrences(self, attr: str) -> list[ast.Attribute]:
        return [n for n in ast.walk(self.node) if isinstance(n, ast.Attribute)
                and n.attr == attr and isinstance(n.value, ast.Name)
                and n.value.id == self.self_name and isinstance(n.ctx, ast.Load)]

    def constructor(self, attr: str) -> Optional[ast.expr]:
        """``Count(jnp.zeros(()))``: what ``self.<attr>`` is built with."""
        for c in self.index.mro(self.cls) if self.cls is not None else ():
            if attr in c.self_assigns:
                return c.self_assigns[attr]
        return None

    def payload_is_array(self, attr: str) -> bool:
        """``self.W = nnx.Param(<not a Python literal>)``: ``[...]`` reads an array payload only."""
        for c in self.index.mro(self.cls) if self.cls is not None else ():
            value = c.self_assigns.get(attr)
            if isinstance(value, ast.Call) and value.args:
                return not isinstance(value.args[0], (ast.Constant, ast.List, ast.Tuple,
                                                      ast.Dict, ast.Set))
        return True

    def read_site(self, holder: ast.Attribute) -> Optional[ast.expr]:
        """The expression that stands for the Variable's array in one read, or None when the
        Variable object itself is used (passed on, a method called)."""
        parent = self.parents.get(holder)
        if isinstance(parent, ast.Subscript) and parent.value is holder:
            if isinstance(parent.slice, ast.Constant) and parent.slice.value is Ellipsis:
                return parent                       # self.W[...]
            return holder                           # self.W[i] -> W[i]
        if isinstance(parent, ast.Attribute) and parent.value is holder:
            if parent.attr == "value":
                return parent                       # self.W.value
            if parent.attr == "get_value":
                call = self.parents.get(parent)
                if isinstance(call, ast.Call) and call.func is parent and not call.args:
                    return call                     # self.W.get_value()
                return None
            return holder if parent.attr in jaxapi.VARIABLE_ARRAY_ATTRS else None
        if isinstance(parent, (ast.BinOp, ast.UnaryOp, ast.Compare)):
            return holder                           # h @ self.W
        if isinstance(parent, ast.Call) and holder in parent.args:
            qual = self.index.imports.qualname(parent.func) or ""
            if qual.startswith(jaxapi.VARIABLE_READING_PREFIXES):
                return holder                       # jnp.dot(self.W, h)
        return None

    def fresh(self, base: str) -> str:
        """A name no code in the enclosing function (body included) uses, nor an import."""
        if not hasattr(self, "_taken"):
            self._taken = bound_names(self.scope.node) | set(self.index.imports.names)
        return fresh_name(base, self._taken)


def hoist_plan(index: ModuleIndex, facts: BodyFacts, attr: str,
               access: VariableAccess) -> Union[EditPlan, Refusal]:
    """JXL301: ``W = self.W[...]`` before the loop statement; the body reads ``W``. Only for a
    body that one loop runs: JAX traces a body function once and reuses that trace for the
    next loop that runs the same function object, closed-over values included, so a read
    hoisted before a second loop would not reach it."""
    try:
        body = _Body(index, facts)
        edits = []
        name = body.fresh(attr)
        for holder in body.occurrences(attr):
            site = body.read_site(holder)
            if site is None:
                raise _Refuse(f"`self.{attr}` is used as a Variable object in the body "
                              f"(`{ast.unparse(body.parents.get(holder, holder))}`)")
            edits.append(Edit(REPLACE_EXPR, site, (name,)))
        read = access.read(f"{body.self_name}.{attr}", body.payload_is_array(attr))
        runs = _running_statements(body)
        if len(runs) != 1:
            raise _Refuse(f"`{body.node.name}` is the body of {len(runs)} loops: JAX reuses "
                          "its first trace for the next, so a read hoisted before one loop "
                          "would not reach the others")
        _check_runs_once(body, runs[0][0])
        if body.cls is not None:
            written, _ = reached_variables(index, body.cls, body.node, body.self_name,
                                           index.variable_attrs(body.cls), writes_only=True)
            if attr in written:
                raise _Refuse(f"`{written[attr]}`, used in the body, writes `self.{attr}`: "
                              "a read hoisted before the loop would not see it")
        _check_nothing_else_runs(body, *runs[0], attr)
        edits.append(Edit(INSERT_BEFORE, runs[0][0], (f"{name} = {read}",)))
    except _Refuse as refusal:
        return Refusal(str(refusal))
    return EditPlan(f"`{name} = {read}` before the loop",
                    f"hoist `{name} = {read}` before the loop; the body closes over the array",
                    edits)


def _running_statements(body: _Body) -> list[tuple[ast.stmt, ast.Call]]:
    """The statements of the enclosing function that run the body: each read of the body's
    name must be the function argument of a lax loop call in a plain statement there."""
    node = body.node
    if isinstance(node, ast.Lambda):
        return [(body.stmt, body.site.call)]
    scope = body.scope.node
    parents = parent_map(scope)
    out = []
    for use in ast.walk(scope):
        if not (isinstance(use, ast.Name) and use.id == node.name
                and isinstance(use.ctx, ast.Load)):
            continue
        call = parents.get(use)
        spec = jaxapi.LAX_CALLS.get(body.index.imports.qualname(call.func) or "") if isinstance(
            call, ast.Call) else None
        args = [call.args[i] for i in spec[0] if i < len(call.args)] + [
            k.value for k in call.keywords if k.arg in spec[1]] if spec else []
        stmt = _statement_holding(scope, call) if spec and any(a is use for a in args) else None
        if stmt is None:
            raise _Refuse(f"`{node.name}` is used other than as the body of a lax loop call "
                          f"(`{ast.unparse(parents.get(use, use))}`)")
        out.append((stmt, call))
    return out


def _check_runs_once(body: _Body, stmt: ast.stmt) -> None:
    """The loop statement inside a Python loop that the body's definition is outside of runs
    one function object many times: the same reuse of its first trace."""
    parents = parent_map(body.scope.node)
    node = parents.get(stmt)
    while node is not None and node is not body.scope.node:
        if isinstance(node, (ast.For, ast.AsyncFor, ast.While)) and not any(
                n is body.node for n in ast.walk(node)):
            raise _Refuse(f"the loop runs `{body.node.name}` once per step of the Python loop "
                          f"at line {node.lineno}: JAX reuses its first trace, so a hoisted "
                          "read would not be read again")
        node = parents.get(node)


def _check_nothing_else_runs(body: _Body, stmt: ast.stmt, loop_call: ast.Call,
                             attr: str) -> None:
    """Between the hoisted read (just before ``stmt``) and the loop's end, only the loop runs:
    the statement's other calls must not write ``self.<attr>``."""
    index = body.index
    inside = {id(n) for n in ast.walk(body.node)}  # a lambda body runs in the loop
    for call in ast.walk(stmt):
        if not isinstance(call, ast.Call) or call is loop_call or id(call) in inside:
            continue
        qual = index.imports.qualname(call.func) or ""
        if qual.startswith(jaxapi.PURE_PREFIXES) or isinstance(call.func, ast.Name) \
                and call.func.id in jaxapi.PURE_BUILTINS or isinstance(
                    call.func, ast.Attribute) and call.func.attr in jaxapi.ARRAY_METHODS:
            continue
        found = purity.judge_call(index, body.scope, call.func)
        if found is None or not found.pure:
            raise _Refuse(f"the loop statement also calls `{ast.unparse(call.func)}`, which "
                          f"may write `self.{attr}` after the hoisted read")


def carry_plan(index: ModuleIndex, facts: BodyFacts,
               access: VariableAccess) -> Union[EditPlan, Refusal]:
    """JXL302: carry every Variable the body writes, write each back after the loop."""
    try:
        return _carry_plan(index, facts, access)
    except _Refuse as refusal:
        return Refusal(str(refusal))


def _carry_plan(index: ModuleIndex, facts: BodyFacts, access: VariableAccess) -> EditPlan:
    site = facts.site
    if site.qualname not in ("jax.lax.fori_loop", "jax.lax.scan"):
        loop = site.qualname.rsplit(".", 1)[-1]
        raise _Refuse(f"only a fori_loop or scan body gets its Variables carried, not a "
                      f"{site.qualname} body: use nnx.{loop} with the module in the carry")
    body = _Body(index, facts)
    node = body.node
    for attr, (_call, kind) in facts.stateful_calls.items():
        raise _Refuse(f"the body also calls `self.{attr}` (nnx.{kind}), which updates its own "
                      f"state: carry the module through nnx.{site.qualname.rsplit('.', 1)[-1]}")
    if not isinstance(node, ast.FunctionDef):
        raise _Refuse("the body is a lambda")
    call = site.call
    fori = site.qualname == "jax.lax.fori_loop"
    position = 3 if fori else 1
    if len(call.args) <= position or call.keywords and fori or any(
            k.arg in ("init", "init_val") for k in call.keywords):
        raise _Refuse("the initial carry is not a positional argument")
    if not (isinstance(call.args[2 if fori else 0], ast.Name)
            and call.args[2 if fori else 0].id == node.name):
        raise _Refuse("the body is not passed by its name")
    uses = [n for n in walk_scope(body.scope.node) if isinstance(n, ast.Name)
            and n.id == node.name and isinstance(n.ctx, ast.Load)]
    if len(uses) != 1:
        raise _Refuse(f"`{node.name}` is used more than once")
    params = node.args.posonlyargs + node.args.args
    if node.args.vararg or node.args.kwarg or node.args.kwonlyargs \
            or len(params) != 2 or node.args.defaults:
        raise _Refuse("the body does not take exactly (index, carry) or (carry, x)")
    carry_param = params[1] if fori else params[0]
    attrs = sorted(facts.variable_writes, key=lambda a: (facts.variable_writes[a].lineno,
                                                          facts.variable_writes[a].col_offset))
    _check_only_the_body_touches(body, attrs)
    edits: list[Edit] = []
    names: dict[str, str] = {}
    by_index: dict[str, bool] = {}
    notes: list[str] = []
    for attr in attrs:
        names[attr] = body.fresh(attr)
        by_index[attr] = False
    edits += _carried_accesses(body, attrs, names, by_index, notes)
    returns = [n for n in walk_scope(node) if isinstance(n, ast.Return)]
    if not returns or any(r.value is None for r in returns):
        raise _Refuse("the body has a bare `return`")
    extra = ", ".join(names[a] for a in attrs)
    for ret in returns:
        value = ret.value
        if not fori:
            if not (isinstance(value, ast.Tuple) and len(value.elts) == 2):
                raise _Refuse("the scan body does not return a literal `carry, y` pair")
            value = value.elts[0]
        edits.append(Edit(REPLACE_EXPR, value, ("(", *_grouped(value), f", {extra})")))
    param = body.fresh("carry")
    edits.append(Edit(RENAME_PARAM, carry_param, (param,)))
    edits.append(Edit(PREPEND_BODY, node, (f"{carry_param.arg}, {extra} = {param}",)))
    init = call.args[position]
    reads = ", ".join(access.read(f"{body.self_name}.{a}", body.payload_is_array(a))
                      for a in attrs)
    edits.append(Edit(REPLACE_EXPR, init, ("(", *_grouped(init), f", {reads})")))
    write_back = "\n".join(access.write(f"{body.self_name}.{a}", names[a], by_index[a])
                           for a in attrs)
    stmt = body.stmt
    if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1 and stmt.value is call:
        target = stmt.targets[0]
        if fori:
            edits.append(Edit(REPLACE_EXPR, target, (*_grouped(target), f", {extra}")))
        elif isinstance(target, ast.Tuple) and len(target.elts) == 2:
            edits.append(Edit(REPLACE_EXPR, target.elts[0],
                              ("(", *_grouped(target.elts[0]), f", {extra})")))
        else:
            raise _Refuse("the scan result is not unpacked as `carry, ys = ...`")
        edits.append(Edit(INSERT_AFTER, stmt, (write_back,)))
    elif isinstance(stmt, ast.Return) and stmt.value is call:
        result = body.fresh("result")
        if fori:
            lhs = f"{result}, {extra}"
            tail = f"return {result}"
        else:
            ys = body.fresh("ys")
            lhs = f"({result}, {extra}), {ys}"
            tail = f"return {result}, {ys}"
        # the call as written, with the init edit above inside it
        edits.append(Edit(REPLACE_STMT, stmt, (f"{lhs} = ", Source(call))))
        edits.append(Edit(INSERT_AFTER, stmt, (f"{write_back}\n{tail}",)))
    else:
        raise _Refuse("the loop's result is not assigned or returned directly")
    shown = ", ".join(f"self.{a}" for a in attrs)
    return EditPlan(f"carry {shown} through the loop",
                    f"carry {shown} through the loop and write back after it", edits,
                    notes=notes)


def _check_only_the_body_touches(body: _Body, attrs: list[str]) -> None:
    """The carried local stands for the Variable while the loop runs: nothing else may read
    or write the Variable itself then (a method of ``self``, a property, code handed
    ``self``), and writes must not run hooks the carried local would skip."""
    variables = body.index.variable_attrs(body.cls) if body.cls is not None else frozenset()
    reached, escape = reached_variables(body.index, body.cls, body.node, body.self_name,
                                        variables) if body.cls is not None else ({}, None)
    for attr in attrs:
        if attr in reached:
            raise _Refuse(f"`{reached[attr]}`, used in the body, reads or writes "
                          f"`self.{attr}` itself: carried as a local, the Variable would keep "
                          "its value from before the loop until the loop ends")
        built = body.constructor(attr)
        if isinstance(built, ast.Call) and any(k.arg == "on_set_value" for k in built.keywords):
            raise _Refuse(f"`self.{attr}` has `on_set_value` hooks, which a carried local "
                          "would skip")
    if escape is not None:
        raise _Refuse(f"the body hands `self` to other code (`{escape}`), which may read the "
                      "carried Variables")


def _carried_accesses(body: _Body, attrs: list[str], names: dict[str, str],
                      by_index: dict[str, bool], notes: list[str]) -> list[Edit]:
    """Every use of the carried Variables in the body, as edits onto the carried names.

    ``v[...] = x`` casts and broadcasts ``x`` to the Variable's shape and dtype: the local is
    written ``v = v.at[...].set(x)``, which does the same, unless ``x`` provably has that type
    already (``v[...] + 1``). ``v.set_value(x)`` / ``v.value = x`` replace the payload: the
    local is ``v = x``, an assumption (a note) unless proven."""
    for n in ast.walk(body.node):
        if isinstance(n, ast.Attribute) and n.attr in attrs and isinstance(n.ctx, ast.Store) \
                and isinstance(n.value, ast.Name) and n.value.id == body.self_name:
            raise _Refuse(f"the body replaces `self.{n.attr}`")
    edits = []
    done: set[int] = set()  # holders inside a statement replaced whole
    holders = [(h, a) for a in attrs for h in body.occurrences(a)]
    kinds = {a: variable_kind(body.constructor(a), body.index.imports) for a in attrs}
    writers: dict[ast.AST, set[str]] = {}  # nested functions of the body that write a carry

    def own_read(attr):
        return lambda expr: _is_read_of(expr, body, attr)

    def replaced(stmt, code) -> None:
        edits.extend(Edit(REPLACE_EXPR, read, (name,))
                     for read, name in _renamed_reads(stmt.value, body.self_name, names))
        edits.append(Edit(REPLACE_STMT, stmt, code))
        done.update(id(n) for n in ast.walk(stmt))

    for holder, attr in holders:
        parent = body.parents.get(holder)
        name = names[attr]
        stmt = _enclosing_statement(body, holder)
        if isinstance(parent, ast.Attribute) and parent.attr == "set_value":
            call = body.parents.get(parent)
            if not (isinstance(call, ast.Call) and call.func is parent and len(call.args) == 1
                    and not call.keywords and isinstance(stmt, ast.Expr)
                    and stmt.value is call):
                raise _Refuse(f"`self.{attr}.set_value` is not a statement of its own")
            value = call.args[0]
            edits += [Edit(REPLACE_EXPR, read, (n,))
                      for read, n in _renamed_reads(value, body.self_name, names)]
            edits.append(Edit(REPLACE_STMT, stmt, (f"{name} = ", Source(value))))
            done |= {id(n) for n in ast.walk(stmt)}
            _replacing_write(attr, keeps_kind(kinds[attr], own_read(attr), value), notes,
                             f"self.{attr}.set_value(...)")
        elif _is_index_write(stmt, parent, holder) and id(holder) not in done:
            if isinstance(stmt, ast.Assign) and len(stmt.targets) != 1:
                raise _Refuse(f"`self.{attr}` is written in a chained assignment")
            op = stmt.op if isinstance(stmt, ast.AugAssign) else None
            # else the plain write keeps the type: written below as ``v = x``
            if not keeps_kind(kinds[attr], own_read(attr), stmt.value, op):
                by_index[attr] = True
                if op is None:
                    replaced(stmt, (f"{name} = {name}.at[...].set(", Source(stmt.value), ")"))
                else:
                    replaced(stmt, (f"{name} = {name}.at[...].set({name} {_OPS[type(op)]} (",
                                    Source(stmt.value), "))"))
        if stmt is not None and _writes(stmt, parent, holder):
            inner = _nested_function(body, holder)
            if isinstance(inner, ast.Lambda):
                raise _Refuse(f"`self.{attr}` is written inside a lambda of the body")
            if inner is not None:
                writers.setdefault(inner, set()).add(name)
    for holder, attr in holders:
        if id(holder) not in done:
            edits.append(_carried_access(body, holder, attr, names[attr], by_index))
            parent = body.parents.get(holder)
            stmt = _enclosing_statement(body, holder)
            if isinstance(parent, ast.Attribute) and parent.attr in jaxapi.VARIABLE_VALUE_ATTRS \
                    and isinstance(stmt, (ast.Assign, ast.AugAssign)) and parent in (
                        stmt.targets if isinstance(stmt, ast.Assign) else [stmt.target]):
                op = stmt.op if isinstance(stmt, ast.AugAssign) else None
                _replacing_write(attr, keeps_kind(kinds[attr], own_read(attr), stmt.value, op),
                                 notes, f"self.{attr}.{parent.attr} = ...")
    for inner, carried in writers.items():  # ``count += 1`` in a helper of the body
        edits.append(Edit(PREPEND_BODY, inner, (f"nonlocal {', '.join(sorted(carried))}",)))
    return edits


_OPS = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/", ast.FloorDiv: "//",
        ast.Mod: "%", ast.Pow: "**", ast.MatMult: "@", ast.BitAnd: "&", ast.BitOr: "|",
        ast.BitXor: "^", ast.LShift: "<<", ast.RShift: ">>"}


def _replacing_write(attr: str, proven: bool, notes: list[str], shown: str) -> None:
    note = (f"assumes `{shown}` keeps the Variable's type: it replaces the payload, and a "
            "lax loop raises a TypeError at trace time if the shape or dtype changes")
    if not proven and note not in notes:
        notes.append(note)


def _is_index_write(stmt, parent, holder) -> bool:
    """``self.v[...] = x`` / ``self.v[...] op= x``: ``parent`` is the statement's target."""
    if not isinstance(stmt, (ast.Assign, ast.AugAssign)):
        return False
    targets = stmt.targets if isinstance(stmt, ast.Assign) else [stmt.target]
    return isinstance(parent, ast.Subscript) and parent.value is holder and any(
        t is parent for t in targets) and isinstance(parent.slice, ast.Constant) \
        and parent.slice.value is Ellipsis


def _writes(stmt, parent, holder) -> bool:
    """Is this occurrence of ``self.v`` written (an assignment target, a setter call)?"""
    if isinstance(stmt, (ast.Assign, ast.AugAssign)):
        targets = stmt.targets if isinstance(stmt, ast.Assign) else [stmt.target]
        return any(t is parent or t is holder for t in targets)
    return isinstance(parent, ast.Attribute) and parent.attr in jaxapi.VARIABLE_SETTERS


def _nested_function(body: _Body, node: ast.AST) -> Optional[ast.AST]:
    """The innermost function of the body (not the body itself) around ``node``."""
    while node is not None and node is not body.node:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
            return node
        node = body.parents.get(node)
    return None


def _is_read_of(expr: ast.expr, body: _Body, attr: str) -> bool:
    """``expr`` is itself a read of ``self.<attr>`` (not an expression containing one)."""
    found = _renamed_reads(expr, body.self_name, {attr: attr})
    return len(found) == 1 and found[0][0] is expr


def _renamed_reads(expr: ast.expr, self_name: str,
                   names: dict[str, str]) -> list[tuple[ast.expr, str]]:
    """The reads of carried Variables inside ``expr`` (``self.c[...]``, ``self.c.value``,
    ``self.c.get_value()``, ``self.c``), outermost first, each with the name it becomes."""
    def carried(node) -> Optional[str]:
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) \
                and node.value.id == self_name:
            return names.get(node.attr)
        return None

    out: list[tuple[ast.expr, str]] = []
    todo = [expr]
    while todo:
        node = todo.pop()
        name = None
        if isinstance(node, ast.Subscript) and isinstance(node.slice, ast.Constant) \
                and node.slice.value is Ellipsis:
            name = carried(node.value)
        elif isinstance(node, ast.Attribute):
            name = carried(node.value) if node.attr == "value" else None
            name = name or carried(node)
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) \
                and node.func.attr == "get_value" and not node.args:
            name = carried(node.func.value)
        if name:
            out.append((node, name))
        else:
            todo.extend(reversed(list(ast.iter_child_nodes(node))))
    return out


def _carried_access(body: _Body, holder: ast.Attribute, attr: str, name: str,
                    by_index: dict[str, bool]) -> Edit:
    """One use of ``self.<attr>`` in the body: a read, or the target of a write."""
    parent = body.parents.get(holder)
    stmt = _enclosing_statement(body, holder)
    target = None
    if isinstance(stmt, (ast.Assign, ast.AugAssign)):
        targets = stmt.targets if isinstance(stmt, ast.Assign) else [stmt.target]
        target = next((t for t in targets if t is parent or t is holder), None)
    if target is not None:  # self.c[...] = e / self.c.value += e: the target becomes ``c``
        if isinstance(stmt, ast.Assign) and len(stmt.targets) != 1:
            raise _Refuse(f"`self.{attr}` is written in a chained assignment")
        if isinstance(target, ast.Subscript):
            if not (isinstance(target.slice, ast.Constant) and target.slice.value is Ellipsis):
                raise _Refuse(f"the body writes part of `self.{attr}` "
                              f"(`{ast.unparse(target)}`)")
            by_index[attr] = True
        elif not (isinstance(target, ast.Attribute) and target.attr == "value"):
            raise _Refuse(f"the body replaces `self.{attr}`")
        return Edit(REPLACE_EXPR, target, (name,))
    site = body.read_site(holder)
    if site is None:
        raise _Refuse(f"`self.{attr}` is used as a Variable object in the body "
                      f"(`{ast.unparse(parent or holder)}`)")
    return Edit(REPLACE_EXPR, site, (name,))


def _enclosing_statement(body: _Body, node: ast.AST) -> Optional[ast.stmt]:
    while node is not None and not isinstance(node, ast.stmt):
        node = body.parents.get(node)
    return node


def _grouped(expr: ast.expr) -> Code:
    """``expr`` as an element of a new tuple: an unparenthesised tuple gets parentheses."""
    if isinstance(expr, ast.Tuple) and not _parenthesised(expr):
        return ("(", Source(expr), ")")
    return (Source(expr),)


def _parenthesised(expr: ast.Tuple) -> bool:
    return bool(expr.elts) and (expr.elts[0].lineno, expr.elts[0].col_offset) != (
        expr.lineno, expr.col_offset)


def _statement_holding(fn_node, call: ast.Call) -> Optional[ast.stmt]:
    """The simple statement of ``fn_node`` (not of a nested function) that contains ``call``."""
    for stmt in walk_scope(fn_node):
        if isinstance(stmt, _SIMPLE) and any(n is call for n in ast.walk(stmt)):
            return stmt
    return None
