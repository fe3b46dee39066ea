"""The comments inside a libcst node: what a rewrite that drops the node must carry over."""
from __future__ import annotations

from typing import Optional

import libcst as cst


def comments(node: Optional[cst.CSTNode]) -> list[cst.Comment]:
    """The comments inside ``node``, in order (none for None)."""
    found: list[cst.Comment] = []
    if node is None:
        return found

    class Collect(cst.CSTVisitor):
        def visit_Comment(self, comment: cst.Comment) -> None:
            found.append(comment)

    node.visit(Collect())
    return found
