"""New names for generated code: taken from the user's code, and never colliding."""
from __future__ import annotations

import ast
import builtins
import keyword

from jaxloop_lint.analysis.names import fresh_name


class Names:
    def __init__(self, source: str) -> None:
        tree = ast.parse(source)
        self.taken = set(dir(builtins)) | set(keyword.kwlist)
        for node in ast.walk(tree):
            if isinstance(node, ast.Name):
                self.taken.add(node.id)
            elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                self.taken.add(node.name)
            elif isinstance(node, ast.arg):
                self.taken.add(node.arg)
            elif isinstance(node, ast.alias):
                self.taken.add((node.asname or node.name).split(".")[0])

    def scope(self) -> "Names":
        """Names for one function: new names made there do not block other functions."""
        child = Names.__new__(Names)
        child.taken = set(self.taken)
        return child

    def fresh(self, base: str) -> str:
        return fresh_name(base, self.taken, default="loop")
