"""The analysis of one module, as the rules and the fixer read it."""
from __future__ import annotations

import ast
from dataclasses import dataclass
from typing import Optional, Sequence

from . import jaxapi, plans
from .flow import FunctionFacts
from .index import ModuleIndex
from .lax_bodies import BodyFacts, body_facts
from .plans.types import Plan
from .plans.variables import VariableAccess
from .traced import TracedFunctions


@dataclass(eq=False)
class ModuleModel:
    index: ModuleIndex
    traced: TracedFunctions
    bodies: list[BodyFacts]

    flax_api: str = "auto"

    @property
    def variable_access(self) -> VariableAccess:
        cache = self.__dict__
        if "_access" not in cache:
            cache["_access"] = VariableAccess(self.index, self.flax_api)
        return cache["_access"]

    def plan(self, request) -> Plan:
        """The one way to a fix: the plan for a ``plans.requests`` instance (computed once;
        the rules and the fixer share it)."""
        cache = self.__dict__.setdefault("_plans", {})
        if request not in cache:
            cache[request] = plans.plan(self, request)
        return cache[request]

    @property
    def functions(self) -> list[FunctionFacts]:
        """Facts of the traced functions the rules judge (Pallas kernel code excluded)."""
        return sorted((f for f in self.traced.facts.values()
                       if not self.traced.in_kernel(f.function)),
                      key=lambda f: (f.function.node.lineno, f.function.node.col_offset))


def analyze(tree: ast.Module, extra_jit=(), lines: Optional[Sequence[str]] = None,
            flax_api: str = "auto") -> ModuleModel:
    """``lines`` (the module's source lines), when given, let the index skip expressions that
    cannot hold a transform or lax call."""
    index = ModuleIndex(tree, lines)
    traced = TracedFunctions(index, extra_jit)
    bodies = []
    for site in index.calls:
        spec = jaxapi.LAX_CALLS.get(site.qualname)
        if spec is not None and spec[2]:
            for body in traced.lax_bodies(site.call, site.qualname, site.scope):
                if not traced.in_kernel(body):
                    bodies.append(body_facts(index, site, body))
    return ModuleModel(index, traced, bodies, flax_api)
