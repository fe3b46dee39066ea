"""Bounds on symbolic facts, so that pathological code (``n = n // 2 + n`` three thousand times,
``t = (t, h)`` in a long chain) costs linear time and no recursion: a fact that would grow past
a bound becomes unknown, which is always allowed."""
from __future__ import annotations

# How many nodes a symbolic dimension, shape or type may have, and how deep values may nest.
MAX_NODES = 48
MAX_TERMS = 8
MAX_DEPTH = 8


def too_big(obj, budget: int = MAX_NODES) -> bool:
    """Does ``obj`` (tuples, frozensets and the symbolic classes, nested) have more than
    ``budget`` nodes? Stops counting at the budget."""
    todo = [obj]
    seen = 0
    while todo:
        node = todo.pop()
        seen += 1
        if seen > budget:
            return True
        if isinstance(node, (tuple, frozenset)):
            todo.extend(node)
            continue
        inner = getattr(node, "__absval_children__", None)
        if inner is not None:
            todo.extend(inner())
    return False
