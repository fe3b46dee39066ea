"""How many times a ``range`` loop runs, as an expression for a message.

``range(1, xs.shape[0])`` runs ``xs.shape[0] - 1`` times, ``range(0, n, 2)`` ``ceil(n / 2)``
times, ``range(n - 1, -1, -1)`` ``n`` times: the bounds are folded as integer linear
expressions (``(n - 1) - (-1)`` is ``n``). The expression equals ``len(range(...))`` whenever
the range is not empty (an empty one runs 0 times, not a negative number). Returns None when
the step is not an integer literal; the message then says "once per step".
"""
from __future__ import annotations

import ast
from typing import Optional

# A linear form: source of each non-linear term -> (its node, coefficient), and a constant.
Linear = tuple[dict[str, tuple[ast.expr, int]], int]

# Past this length the expression helps nobody: say "once per step" instead.
_MAX_LENGTH = 60


def range_trips(args: list[ast.expr]) -> Optional[str]:
    """``len(range(*args))`` as an expression (see the module docstring), or None."""
    if not 1 <= len(args) <= 3 or any(isinstance(a, ast.Starred) for a in args):
        return None
    start = _linear(args[0]) if len(args) > 1 else ({}, 0)
    stop = _linear(args[1] if len(args) > 1 else args[0])
    step = _int(args[2]) if len(args) == 3 else 1
    if not step:
        return None
    span = _sub(stop, start) if step > 0 else _sub(start, stop)
    k = abs(step)
    terms, const = span
    if not terms:  # a constant: fold it all
        return str(max(0, -(-const // k)))
    text = _render(span)
    if k != 1:
        text = f"ceil({text if _atomic(span) else f'({text})'} / {k})"
    return text if len(text) <= _MAX_LENGTH else None


def times(count: Optional[str]) -> str:
    """"n times", "once", or "once per step" for an unknown count."""
    if count is None:
        return "once per step"
    return "once" if count == "1" else f"{count} times"


def _int(node: ast.expr) -> Optional[int]:
    """An integer literal, negative ones included (``-1`` is a UnaryOp in the tree)."""
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        inner = _int(node.operand)
        return -inner if inner is not None else None
    if isinstance(node, ast.Constant) and type(node.value) is int:
        return node.value
    return None


def _linear(node: ast.expr) -> Linear:
    value = _int(node)
    if value is not None:
        return {}, value
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
        inner = _linear(node.operand)
        return inner if isinstance(node.op, ast.UAdd) else _scale(inner, -1)
    if isinstance(node, ast.BinOp):
        if isinstance(node.op, ast.Add):
            return _add(_linear(node.left), _linear(node.right))
        if isinstance(node.op, ast.Sub):
            return _sub(_linear(node.left), _linear(node.right))
        if isinstance(node.op, ast.Mult):
            for factor, other in ((node.left, node.right), (node.right, node.left)):
                k = _int(factor)
                if k is not None:
                    return _scale(_linear(other), k)
    return {ast.unparse(node): (node, 1)}, 0


def _add(a: Linear, b: Linear) -> Linear:
    terms = dict(a[0])
    for key, (node, k) in b[0].items():
        total = terms.get(key, (node, 0))[1] + k
        if total:
            terms[key] = (node, total)
        else:
            terms.pop(key, None)
    return terms, a[1] + b[1]


def _scale(a: Linear, k: int) -> Linear:
    if not k:
        return {}, 0
    return {key: (node, c * k) for key, (node, c) in a[0].items()}, a[1] * k


def _sub(a: Linear, b: Linear) -> Linear:
    return _add(a, _scale(b, -1))


def _atomic(form: Linear) -> bool:
    terms, const = form
    return not const and len(terms) == 1 and next(iter(terms.values()))[1] == 1


def _render(form: Linear) -> str:
    terms, const = form
    out = ""
    for key, (node, k) in terms.items():
        simple = isinstance(node, (ast.Name, ast.Attribute, ast.Subscript, ast.Call))
        term = key if simple or k == 1 and not out else f"({key})"
        if abs(k) != 1:
            term = f"{abs(k)} * {term}"
        if not out:
            out = term if k > 0 else f"-{term}"
        else:
            out += f" + {term}" if k > 0 else f" - {term}"
    if const:
        out += f" + {const}" if const > 0 else f" - {-const}"
    return out
