"""The loop model: what kind of loop a ``for`` / ``while`` is, as far as tracing is concerned."""
from __future__ import annotations

import ast
import enum
from dataclasses import dataclass, field
from typing import Optional, Union

from .values import Kind, Val


class LoopKind(enum.Enum):
    STATIC = "static"              # trip count fixed by Python values: idiomatic, stays quiet
    ARRAY = "array"                # for over a traced array: unrolls (JXL101)
    SHAPE_RANGE = "shape_range"    # range bound from a shape: unrolls (JXL102)
    TRACED_RANGE = "traced_range"  # range over a traced int: raises (JXL103)
    TRACED_WHILE = "traced_while"  # while on a traced condition: raises (JXL104)


@dataclass(eq=False)
class LoopModel:
    node: Union[ast.For, ast.While]
    kind: LoopKind
    # The expression the finding names: the iterated array, the range bound, the while test.
    subject: Optional[ast.expr] = None
    # For TRACED_RANGE, the traced name (or expression) inside the bound.
    traced: Optional[ast.expr] = None
    parent: Optional["LoopModel"] = None
    children: list["LoopModel"] = field(default_factory=list)
    # Does the body compute anything traced? A shape-bound loop that only does Python
    # arithmetic on static values costs nothing at trace time.
    traced_work: bool = False
    # The iterated value is a jit argument nothing shows to be an array or a container: it is
    # taken for an array, and a rewrite of the loop is only offered as unsafe.
    assumed_array: bool = False
    # Values of names after the loop (its body joined with zero iterations): the plan reads it
    # to refuse carries that are Python numbers.
    env_after: dict = field(default_factory=dict)

    @property
    def data_scaled(self) -> bool:
        """Its trip count comes from the data: unrolled or impossible under trace."""
        return self.kind is not LoopKind.STATIC

    def enclosing(self):
        loop: Optional[LoopModel] = self
        while loop is not None:
            yield loop
            loop = loop.parent


_SEVERITY = [LoopKind.STATIC, LoopKind.SHAPE_RANGE, LoopKind.ARRAY, LoopKind.TRACED_RANGE]


def classify_iterable(expr: ast.expr, evaluate) -> tuple[LoopKind, Optional[ast.expr],
                                                         Optional[ast.expr]]:
    """Classify what a ``for`` iterates. ``evaluate`` maps an expression to its ``Val``.

    Returns (kind, subject, traced-part).
    """
    if isinstance(expr, ast.Call) and isinstance(expr.func, ast.Name) and expr.args \
            and expr.func.id in _ITERATION_BUILTINS and evaluate.is_builtin(expr.func.id):
        name = expr.func.id
        if name == "range":
            return _classify_range(expr, evaluate)
        if name in ("enumerate", "reversed"):
            return classify_iterable(expr.args[0], evaluate)
        if name == "zip":
            parts = [_classify_zip_arg(a, evaluate) for a in expr.args]
            if any(kind is LoopKind.STATIC for kind, _, _ in parts):
                # zip stops at its shortest input: a static container bounds the trip count.
                traced = [p for p in parts if p[0] is LoopKind.TRACED_RANGE]
                return traced[0] if traced else (LoopKind.STATIC, None, None)
            return max(parts, key=lambda p: _SEVERITY.index(p[0]))
    val = evaluate(expr)
    if val.iterable_array:
        return LoopKind.ARRAY, expr, None
    return LoopKind.STATIC, None, None


def classify_for(node: ast.For, evaluate):
    """Like classify_iterable, but ``for w, b in params[:-1]`` (a tuple target over something
    not known to be an array) walks a list of tuples: static."""
    kind, subject, traced = classify_iterable(node.iter, evaluate)
    if kind is LoopKind.ARRAY and isinstance(node.target, (ast.Tuple, ast.List)) \
            and subject is node.iter and evaluate(subject).array is None:
        return LoopKind.STATIC, None, None
    return kind, subject, traced


_ITERATION_BUILTINS = {"range", "enumerate", "reversed", "zip"}


def _classify_zip_arg(arg: ast.expr, evaluate):
    if isinstance(arg, ast.Starred):
        # zip(*trajectories): walks the rows of every leaf of a traced tuple in lockstep.
        val = evaluate(arg.value)
        if val.kind >= Kind.PYTREE and val.array is not False or val.iterable_array:
            return LoopKind.ARRAY, arg, None
        return LoopKind.STATIC, None, None
    return classify_iterable(arg, evaluate)


def _classify_range(call: ast.Call, evaluate):
    if len(call.args) > 3:
        return LoopKind.STATIC, None, None
    vals: list[tuple[ast.expr, Val]] = [(a, evaluate(a)) for a in call.args]
    bound = call.args[1] if len(call.args) > 1 else call.args[0]
    for arg, val in vals:
        if val.kind is Kind.TRACED:
            return LoopKind.TRACED_RANGE, bound, _traced_part(arg, evaluate)
    if any(val.kind is Kind.SHAPE for _, val in vals):
        return LoopKind.SHAPE_RANGE, bound, None
    return LoopKind.STATIC, None, None


def _traced_part(expr: ast.expr, evaluate) -> ast.expr:
    """The innermost name or attribute in ``expr`` that is traced: ``n`` in ``range(n + 1)``."""
    for node in ast.walk(expr):
        if isinstance(node, (ast.Name, ast.Attribute, ast.Subscript)) \
                and evaluate(node).kind is Kind.TRACED:
            return node
    return expr


def classify_while(test: ast.expr, evaluate) -> tuple[LoopKind, Optional[ast.expr]]:
    val = evaluate(test)
    # ``while queue:`` on a Python list of arrays tests its length: static.
    if val.kind is Kind.TRACED and val.array is not False:
        return LoopKind.TRACED_WHILE, test
    return LoopKind.STATIC, None
