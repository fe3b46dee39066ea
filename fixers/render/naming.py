"""New names for generated code: taken from the user's code, and never colliding."""
from __future__ import annotations

import ast
import builtins
import keyword
from typing import Optional

from jaxloop_lint.analysis.names import bound_names, fresh_name


class Names:
    def __init__(self, source: str, tree: Optional[ast.Module] = None) -> None:
        tree = tree or ast.parse(source)
        self.taken = set(dir(builtins)) | set(keyword.kwlist) | bound_names(tree)
        self.taken |= {(node.asname or node.name).split(".")[0] for node in ast.walk(tree)
                       if isinstance(node, ast.alias)}

    def scope(self) -> "Names":
        """Names for one function: new names made there do not block other functions."""
        child = Names.__new__(Names)
        child.taken = set(self.taken)
        return child

    def fresh(self, base: str) -> str:
        return fresh_name(base, self.taken, default="loop")
