"""JXL201-204: building arrays piece by piece in traced code.

Reported at the call (``outs.append``, ``jnp.concatenate``) or the assignment (``x[i] = v``).

    @jax.jit
    def rnn(h, xs):
        outs = []
        for x in xs:
            h = jnp.tanh(h + x)
            outs.append(h)        # JXL201: stacked below, a scan's ys in disguise
        return jnp.stack(outs)
"""
from __future__ import annotations

import ast

from ..analysis import jaxapi
from ..analysis.plans.requests import ItemAssign, LoopRewrite
from ..analysis.values import Kind
from . import Finding, rule, source


def _owning_plan(model, facts, node):
    """The plan of the innermost data-scaled loop around ``node``: its rewrite is this
    finding's fix too (the append becomes the scan's ys), and its refusal this one's reason."""
    best = None
    for loop in facts.loops:
        if loop.data_scaled and loop.node.lineno <= node.lineno <= loop.node.end_lineno:
            if best is None or loop.node.lineno >= best.node.lineno:
                best = loop
    return model.plan(LoopRewrite(facts, best)) if best is not None else None


def _in_data_loop(loop) -> bool:
    return any(l.data_scaled for l in loop.enclosing())


@rule("JXL201")
def append_then_stack(model):
    for facts in model.functions:
        for append in facts.appends:
            if append.value.kind < Kind.PYTREE or not _in_data_loop(append.loop):
                continue
            loop_end = append.loop.node.end_lineno
            if any(s.list_name == append.list_name and s.call.lineno > loop_end
                   for s in facts.stacks):
                call = (f"{append.list_name} += [...]" if append.method == "+="
                        else f"{append.list_name}.{append.method}")
                yield Finding("JXL201", append.node, {"list": append.list_name, "call": call},
                              _owning_plan(model, facts, append.node))


@rule("JXL202")
def growing_concatenate(model):
    for facts in model.functions:
        for grow in facts.grows:
            if _in_data_loop(grow.loop):
                yield Finding("JXL202", grow.call, {"func": grow.func, "name": grow.name},
                              _owning_plan(model, facts, grow.call))


@rule("JXL204")
def inplace_item_assignment(model):
    for facts in model.functions:
        for item in facts.item_assigns:
            if _is_key(item.target.slice) or not _is_jax_array(item):
                continue
            stmt = item.stmt
            target = ast.unparse(item.target)
            index = target[len(item.name) + 1:-1]  # ``x[:, 0]`` -> ``:, 0``
            value = source(stmt.value, 30)
            if isinstance(stmt, ast.AugAssign):
                op = ast.unparse(ast.BinOp(ast.Name("a"), stmt.op, ast.Name("b")))[2:-2]
                method = jaxapi.AT_METHODS.get(type(stmt.op).__name__)
                if method is None:  # no .at method for //, %, ...: read, combine, set
                    method, value = "set", f"{target} {op} {value}"
                shown = f"{target} {op}= ..."
            else:
                method, shown = "set", f"{target} = ..."
            yield Finding("JXL204", stmt, {"target": shown, "name": item.name, "index": index,
                                           "method": method, "value": value},
                          model.plan(ItemAssign(facts, item)))


def _is_jax_array(item) -> bool:
    """A traced array; or a jit argument indexed by a traced value, which no Python list or
    dict accepts either."""
    value = item.value
    return value.traced and value.array is True or (
        value.kind is Kind.TRACED and value.array is None and item.index.traced)


def _is_key(index: ast.expr) -> bool:
    return isinstance(index, ast.Constant) and isinstance(index.value, str)
