"""The analysis of one module, as the rules and the fixer read it."""
from __future__ import annotations

import ast
from dataclasses import dataclass
from typing import Optional, Sequence

from . import jaxapi
from .flow import FunctionFacts
from .index import ModuleIndex
from .lax_bodies import BodyFacts, body_facts
from .loops import LoopModel
from .plan import Plan, plan_loop
from .traced import TracedFunctions
from .variable_plans import VariableAccess, carry_plan, hoist_plan


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

    def carry_plan(self, body: BodyFacts):
        """JXL302's fix for a body: one plan carries every Variable the body writes."""
        cache = self.__dict__.setdefault("_carry_plans", {})
        if body not in cache:
            cache[body] = carry_plan(self.index, body, self.variable_access)
        return cache[body]

    def hoist_plan(self, body: BodyFacts, attr: str):
        return hoist_plan(self.index, body, attr, self.variable_access)

    def plan(self, facts: FunctionFacts, loop: LoopModel) -> Plan:
        """The rewrite plan of a loop (computed once; the rules and the fixer share it)."""
        cache = self.__dict__.setdefault("_plans", {})
        if loop not in cache:
            cache[loop] = plan_loop(self.index, facts, loop)
        return cache[loop]

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
