"""Which local names mean jax, jax.numpy, jax.lax, flax.nnx, functools.partial, ... under any alias."""
from __future__ import annotations

import ast
from typing import Optional

# Old or private spellings mapped onto the public qualified name the rule tables use.
_CANONICAL_PREFIXES = (
    ("flax.experimental.nnx", "flax.nnx"),
    ("jax.experimental.pjit", "jax"),
    ("jax.experimental.shard_map", "jax"),
    ("jax._src.numpy", "jax.numpy"),
    ("jax._src.lax.control_flow", "jax.lax"),
    ("jax.experimental.jax2tf", "jax2tf"),
)


def canonical(qualname: str) -> str:
    for old, new in _CANONICAL_PREFIXES:
        if qualname == old or qualname.startswith(old + "."):
            return new + qualname[len(old):]
    return qualname


class ImportMap:
    """Maps local names bound by import statements to fully qualified names.

    Scoping is deliberately flat: an import inside a function counts for the whole module. Real
    code does not rebind ``jnp`` to two different modules in one file.
    """

    def __init__(self) -> None:
        self.names: dict[str, str] = {}

    def add(self, node: ast.AST) -> None:
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.asname:
                    self.names[alias.asname] = canonical(alias.name)
                else:
                    top = alias.name.split(".", 1)[0]
                    self.names[top] = top
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            module = node.module
            for alias in node.names:
                if alias.name != "*":
                    self.names[alias.asname or alias.name] = canonical(f"{module}.{alias.name}")

    def qualname(self, expr: ast.AST) -> Optional[str]:
        """``jnp.stack`` -> ``jax.numpy.stack`` when ``jnp`` was imported as jax.numpy."""
        if isinstance(expr, ast.Name):
            return self.names.get(expr.id)
        if isinstance(expr, ast.Attribute):
            base = self.qualname(expr.value)
            if base is not None:
                return canonical(f"{base}.{expr.attr}")
        return None

    def mentions_jax(self) -> bool:
        return any(q.split(".", 1)[0] in ("jax", "flax", "equinox") for q in self.names.values())
