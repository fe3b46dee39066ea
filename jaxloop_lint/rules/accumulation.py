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

from ..analysis.values import Kind
from . import Finding, rule, source

_AT_METHODS = {ast.Add: "add", ast.Sub: "subtract", ast.Mult: "multiply", ast.Div: "divide",
               ast.Pow: "power"}


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
                yield Finding("JXL201", append.node, {"list": append.list_name,
                                                      "method": append.method})


@rule("JXL202")
def growing_concatenate(model):
    for facts in model.functions:
        for grow in facts.grows:
            if _in_data_loop(grow.loop):
                yield Finding("JXL202", grow.call, {"func": grow.func, "name": grow.name})


@rule("JXL204")
def inplace_item_assignment(model):
    for facts in model.functions:
        for item in facts.item_assigns:
            if not (item.value.traced and item.value.array is True) or _is_key(item.target.slice):
                continue
            stmt = item.stmt
            if isinstance(stmt, ast.AugAssign):
                method = _AT_METHODS.get(type(stmt.op))
                if method is None:
                    continue
                op = f" {_op_text(stmt.op)}= ..."
            else:
                method, op = "set", " = ..."
            yield Finding("JXL204", stmt, {
                "target": source(item.target) + op, "name": item.name,
                "index": source(item.target.slice), "method": method,
                "value": source(stmt.value, 30)})


def _is_key(index: ast.expr) -> bool:
    return isinstance(index, ast.Constant) and isinstance(index.value, str)


def _op_text(op: ast.operator) -> str:
    return {ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/", ast.Pow: "**"}[type(op)]
