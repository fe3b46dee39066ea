"""What the function bodies handed to lax loops do to the world outside them: writes to outer
Python state (JXL203) and reads / writes of the enclosing Module's nnx Variables (JXL301/302)."""
from __future__ import annotations

import ast
from dataclasses import dataclass, field
from typing import Optional

from . import jaxapi
from .index import CallSite, FunctionInfo, ModuleIndex
from .names import walk_statement
from .walk import walk


@dataclass(eq=False)
class BodyFacts:
    site: CallSite
    body: FunctionInfo
    outer_writes: list[tuple[ast.AST, str]] = field(default_factory=list)  # (node, target text)
    variable_reads: dict[str, ast.Attribute] = field(default_factory=dict)   # attr -> first read
    variable_writes: dict[str, ast.Attribute] = field(default_factory=dict)  # attr -> first write
    # attr -> (first call, kind): ``self.bn(x)``, ``self.rngs.dropout()`` on stateful submodules
    stateful_calls: dict[str, tuple[ast.Call, str]] = field(default_factory=dict)

    @property
    def is_nnx_loop(self) -> bool:
        return self.site.qualname in jaxapi.NNX_LOOPS


def body_facts(index: ModuleIndex, site: CallSite, body: FunctionInfo) -> BodyFacts:
    facts = BodyFacts(site, body)
    node = body.node
    stmts = [node.body] if isinstance(node, ast.Lambda) else node.body
    local = set(_params(node))
    declared_outer: set[str] = set()
    nested_nonlocal: set[str] = set()  # ``nonlocal`` in a helper of the body
    nodes = [sub for stmt in stmts for sub in walk(stmt)]  # ast.walk's order, walked once
    for sub in nodes:
        if isinstance(sub, ast.Name) and isinstance(sub.ctx, ast.Store):
            local.add(sub.id)
        elif isinstance(sub, ast.Global):
            declared_outer.update(sub.names)
        elif isinstance(sub, ast.Nonlocal):
            nested_nonlocal.update(sub.names)
        elif isinstance(sub, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            local.add(sub.name)
            if not isinstance(sub, ast.ClassDef):
                local.update(_params(sub))
        elif isinstance(sub, ast.Lambda):
            local.update(_params(sub))
    if nested_nonlocal:
        # A helper's ``nonlocal x`` is the body's own ``x`` when the body binds it; the
        # body's own ``nonlocal x`` (or a helper's, for a name the body does not bind) is
        # outside.
        own = set(_params(node)) | {
            n.id for stmt in stmts for n in walk_statement(stmt)
            if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store)}
        own_declared = {name for stmt in stmts for n in walk_statement(stmt)
                        if isinstance(n, ast.Nonlocal) for name in n.names}
        declared_outer |= own_declared | {n for n in nested_nonlocal if n not in own}
    local -= declared_outer
    self_name = body.self_name
    cls = body.method_class
    variables = index.variable_attrs(cls) if cls is not None else frozenset()
    # Mutable-array Variables (``hijax=True`` / ``ref=True``): ``v[...] = x`` and
    # ``v.set_value(x)`` in a lax body update them step by step, and a read there is a per-step
    # read, not a trace-time constant. Only their ``.value`` writes and replacement still raise.
    refs = index.ref_variable_attrs(cls) if cls is not None else frozenset()

    def variable_attr(expr) -> Optional[str]:
        if isinstance(expr, ast.Attribute) and isinstance(expr.value, ast.Name) \
                and expr.value.id == self_name and expr.attr in variables:
            return expr.attr
        return None

    written: set[int] = set()  # ids of ``self.X`` nodes that are write targets
    scope = body.parent.node if body.parent is not None else index.tree
    enclosing_params: set[str] = set()
    outer = body.parent
    while outer is not None:
        enclosing_params.update(_params(outer.node))
        outer = outer.parent
    seen_outside: dict[str, bool] = {}

    def observed(name: str) -> bool:
        """Is the outer container read where the loop is set up (``jnp.stack(outs)``,
        ``len(outs)``)? Scratch state written and read only inside bodies leaks nothing."""
        if name not in seen_outside:
            seen_outside[name] = name == self_name or _read_outside_bodies(scope, name)
        return seen_outside[name]

    def note_write(target: ast.AST, stmt: ast.AST) -> None:
        if isinstance(target, (ast.Tuple, ast.List)):
            for elt in target.elts:
                note_write(elt, stmt)
            return
        if isinstance(target, ast.Starred):
            note_write(target.value, stmt)
            return
        if isinstance(target, ast.Name):
            # ``n += 1`` counts steps and silently counts one; ``flag = a is b`` is bookkeeping.
            flag = isinstance(stmt, ast.Assign) and _trace_time_flag(stmt.value)
            if target.id in declared_outer and not flag:
                facts.outer_writes.append((stmt, target.id))
            return
        if not isinstance(target, (ast.Subscript, ast.Attribute)):
            return
        holder = target.value
        attr = variable_attr(holder)
        if attr in refs and isinstance(target, ast.Subscript):
            return
        if attr is not None and (isinstance(target, ast.Subscript)
                                 or target.attr in jaxapi.VARIABLE_VALUE_ATTRS):
            _keep_first(facts.variable_writes, attr, holder)
            written.add(id(holder))
            return
        attr = variable_attr(target)
        if attr is not None:  # ``self.count = ...`` replaces the Variable itself
            _keep_first(facts.variable_writes, attr, target)
            written.add(id(target))
            return
        if isinstance(target, ast.Subscript) and _is_ellipsis(target.slice):
            return  # ``v[...] = x``: the Variable / mutable-array idiom, not a Python container
        if isinstance(target, ast.Subscript) and _root(target) in enclosing_params:
            return  # ``o_ref[i] = x`` into an argument of the enclosing function: a Pallas Ref
        root = holder
        while isinstance(root, (ast.Attribute, ast.Subscript)):
            root = root.value
        if isinstance(root, ast.Name) and root.id not in local and (
                isinstance(target, ast.Attribute) or observed(root.id)):
            facts.outer_writes.append((stmt, ast.unparse(target)))

    # A mutating method counts only as a statement of its own: ``outs.append(x)``. A call whose
    # result is used (``state = opt.update(...)``) is a pure API that happens to share the name.
    statement_calls = {id(sub.value) for sub in nodes if type(sub) is ast.Expr}
    for sub in nodes:
        kind = type(sub)
        if kind is ast.Assign:
            for t in sub.targets:
                note_write(t, sub)
        elif kind is ast.AugAssign or kind is ast.AnnAssign and sub.value is not None:
            note_write(sub.target, sub)
        elif kind is ast.Call and isinstance(sub.func, ast.Attribute):
            holder = sub.func.value
            attr = variable_attr(holder)
            if attr in refs and sub.func.attr == "set_value":
                continue  # a mutable-array Variable's set_value updates it step by step
            if attr is not None and sub.func.attr in jaxapi.VARIABLE_SETTERS:
                _keep_first(facts.variable_writes, attr, holder)
                written.add(id(holder))
            elif sub.func.attr in jaxapi.PYTHON_MUTATORS and attr is None and id(sub) in statement_calls \
                    and index.imports.qualname(sub.func) is None:  # not jnp.add(...)
                root = holder
                while isinstance(root, (ast.Attribute, ast.Subscript)):
                    root = root.value
                if isinstance(root, ast.Name) and root.id not in local \
                        and variable_attr(holder) is None and observed(root.id):
                    facts.outer_writes.append((sub, ast.unparse(sub.func)))
    stateful = _stateful_attrs(index, cls) if cls is not None else {}
    for sub in nodes if stateful else ():
        if type(sub) is ast.Call:
            holder = sub.func
            while isinstance(holder, ast.Attribute) and not (
                    isinstance(holder.value, ast.Name) and holder.value.id == self_name):
                holder = holder.value  # self.rngs.dropout() -> self.rngs
            if isinstance(holder, ast.Attribute) and holder.attr in stateful:
                old = facts.stateful_calls.get(holder.attr)
                if old is None or (sub.lineno, sub.col_offset) < (old[0].lineno,
                                                                  old[0].col_offset):
                    facts.stateful_calls[holder.attr] = (sub, stateful[holder.attr])
    for sub in nodes:
        if type(sub) is ast.Attribute and id(sub) not in written:
            attr = variable_attr(sub)
            if attr is not None and attr not in refs:
                _keep_first(facts.variable_reads, attr, sub)
    facts.outer_writes.sort(key=lambda w: (w[0].lineno, w[0].col_offset))
    for attr in facts.variable_writes:
        facts.variable_reads.pop(attr, None)  # JXL302 covers a Variable the body also writes
    return facts


def _stateful_attrs(index: ModuleIndex, cls) -> dict[str, str]:
    """Attributes of ``self`` holding a submodule that updates itself when called."""
    out = {}
    for c in index.mro(cls):
        annotations = {}  # ``def __init__(self, rngs: nnx.Rngs)``: ``self.rngs = rngs``
        for method in c.methods.values():
            args = method.node.args
            for a in args.posonlyargs + args.args + args.kwonlyargs:
                if a.annotation is not None:
                    annotations[a.arg] = a.annotation
        for attr, value in c.self_assigns.items():
            if isinstance(value, ast.Call):
                value = value.func
            elif isinstance(value, ast.Name) and value.id in annotations:
                value = annotations[value.id]
            else:
                continue
            kind = jaxapi.STATEFUL_MODULES.get(index.imports.qualname(value) or "")
            if kind is not None:
                out.setdefault(attr, kind)
    return out


def _root(expr: ast.AST) -> Optional[str]:
    while isinstance(expr, (ast.Attribute, ast.Subscript)):
        expr = expr.value
    return expr.id if isinstance(expr, ast.Name) else None


def _read_outside_bodies(scope: ast.AST, name: str) -> bool:
    """``name`` is loaded in ``scope`` outside nested functions, other than as the container of
    an item or attribute assignment (``name[k] = v``); or ``scope`` does not bind it at all
    (a global, or a closure from further out: observable by anyone)."""
    store_bases = set()
    bound = False
    todo = list(ast.iter_child_nodes(scope))
    loads = []
    while todo:
        node = todo.pop()
        kind = type(node)
        if kind in (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef):
            continue
        if kind in (ast.Subscript, ast.Attribute) and isinstance(node.ctx, (ast.Store, ast.Del)):
            store_bases.add(id(node.value))
        elif kind is ast.Name and node.id == name:
            if isinstance(node.ctx, ast.Load):
                loads.append(node)
            else:
                bound = True
        todo.extend(ast.iter_child_nodes(node))
    return not bound or any(id(n) not in store_bases for n in loads)


def _trace_time_flag(value: Optional[ast.expr]) -> bool:
    """``flag = result is old`` / ``flag = flag and (...)``: Python bookkeeping at trace time
    that never holds a tracer."""
    if value is None or isinstance(value, (ast.Constant, ast.Name)):
        return value is None or isinstance(value, ast.Constant)
    if isinstance(value, ast.Compare):
        return all(isinstance(op, (ast.Is, ast.IsNot)) for op in value.ops)
    if isinstance(value, ast.BoolOp):
        return all(isinstance(v, ast.Name) or _trace_time_flag(v) for v in value.values)
    if isinstance(value, ast.UnaryOp) and isinstance(value.op, ast.Not):
        return _trace_time_flag(value.operand)
    return False


def _is_ellipsis(index: ast.expr) -> bool:
    return isinstance(index, ast.Constant) and index.value is Ellipsis


def _keep_first(found: dict, attr: str, node: ast.AST) -> None:
    """ast.walk is breadth-first: keep the occurrence that comes first in the source."""
    old = found.get(attr)
    if old is None or (node.lineno, node.col_offset) < (old.lineno, old.col_offset):
        found[attr] = node


def _params(node) -> list[str]:
    args = node.args
    out = [a.arg for a in args.posonlyargs + args.args + args.kwonlyargs]
    out += [a.arg for a in (args.vararg, args.kwarg) if a is not None]
    return out
