"""JXL101-104: loops whose trip count comes from the data.

Reported at the ``for`` / ``while`` keyword.

    @jax.jit
    def f(xs):
        acc = 0.0
        for x in xs:          # JXL101: unrolls xs.shape[0] times
            acc = acc + x
        for i in range(3):    # quiet: a small static loop is idiomatic
            acc = acc * 2
"""
from __future__ import annotations

import ast

from ..analysis.loops import LoopKind
from ..analysis.plans.requests import LoopRewrite
from . import Finding, rule, source
from .trip_count import range_trips, times


def _loops(model, kind: LoopKind, traced_work: bool = False):
    """(loop, plan) of ``kind``; with ``traced_work``, only loops whose body computes something
    traced (an unrolled loop of pure Python arithmetic on static values costs nothing)."""
    for facts in model.functions:
        for loop in facts.loops:
            if loop.kind is kind and (loop.traced_work or not traced_work):
                yield loop, model.plan(LoopRewrite(facts, loop))


def _range_call(loop):
    """The ``range(...)`` call of ``range(...)``, ``reversed(range(...))``,
    ``enumerate(range(...))``; None for another iterable."""
    call = loop.node.iter
    while isinstance(call, ast.Call) and isinstance(call.func, ast.Name) \
            and call.func.id in ("reversed", "enumerate") and call.args:
        call = call.args[0]
    if isinstance(call, ast.Call) and isinstance(call.func, ast.Name) and call.func.id == "range":
        return call
    return None


def _range_args(loop) -> str:
    """``xs.shape[0] - 1, -1, -1`` for ``range(xs.shape[0] - 1, -1, -1)``."""
    call = _range_call(loop)
    if call is not None:
        return ", ".join(source(a, 40) for a in call.args)
    return source(loop.subject)


def _range_trips(loop) -> str:
    call = _range_call(loop)
    return times(range_trips(call.args) if call is not None else None)


def _trips(subject: ast.expr, assumed: bool) -> str:
    if isinstance(subject, ast.Starred):  # zip(*leaves): the rows of its first leaf
        return f"len({source(subject.value, 40)}[0]) times"
    text = source(subject, 40)
    if isinstance(subject, (ast.Name, ast.Attribute)) and not assumed:
        return f"{text}.shape[0] times"
    return f"len({text}) times"  # true of a list too


@rule("JXL101")
def for_over_traced_array(model):
    for loop, plan in _loops(model, LoopKind.ARRAY, traced_work=True):
        name = f"`{source(loop.subject)}`"
        iterable, assumed = f"traced array {name}", ""
        if loop.assumed_array:  # a jit argument nothing shows to be an array or a container
            iterable = f"{name} (taken for a traced array)"
            assumed = (f" Nothing shows {name} is an array: if it is a list or tuple, the loop "
                       "is static and idiomatic (`# noqa: JXL101`).")
        yield Finding("JXL101", loop.node, {"iterable": iterable, "assumed": assumed,
                                            "trips": _trips(loop.subject, loop.assumed_array)},
                      plan)


@rule("JXL102")
def range_over_shape(model):
    for loop, plan in _loops(model, LoopKind.SHAPE_RANGE, traced_work=True):
        yield Finding("JXL102", loop.node, {"bound": _range_args(loop),
                                            "trips": _range_trips(loop)}, plan)


@rule("JXL103")
def range_over_traced_int(model):
    for loop, plan in _loops(model, LoopKind.TRACED_RANGE):
        yield Finding("JXL103", loop.node, {"bound": _range_args(loop),
                                            "name": source(loop.traced)}, plan)


@rule("JXL104")
def while_traced_condition(model):
    for loop, plan in _loops(model, LoopKind.TRACED_WHILE):
        yield Finding("JXL104", loop.node, {"test": source(loop.subject)}, plan)
