"""What a rule asks a plan for: one request type per kind of finding. ``ModuleModel.plan``
takes any of them, runs the matching planner once and keeps the answer, so the rules never call
a planner themselves and the fixer renders the very plan the finding carries."""
from __future__ import annotations

import ast
from dataclasses import dataclass

from ..flow import FunctionFacts, ItemAssignFact
from ..lax_bodies import BodyFacts
from ..loops import LoopModel


@dataclass(frozen=True)
class LoopRewrite:
    """JXL101-104, JXL201/202: rewrite the loop as a lax loop (its plan is the finding's)."""

    facts: FunctionFacts
    loop: LoopModel


@dataclass(frozen=True)
class ItemAssign:
    """JXL204: ``x[i] = v`` as ``x = x.at[i].set(v)``."""

    facts: FunctionFacts
    item: ItemAssignFact


@dataclass(frozen=True)
class OuterAppend:
    """JXL203: a lax body's append to an outer list, as the scan's ``ys``."""

    body: BodyFacts
    node: ast.AST


@dataclass(frozen=True)
class VariableRead:
    """JXL301: hoist the read of ``self.<attr>`` before the loop."""

    body: BodyFacts
    attr: str


@dataclass(frozen=True)
class VariableWrites:
    """JXL302: carry every Variable the body writes through the loop (one plan per body)."""

    body: BodyFacts


@dataclass(frozen=True)
class StatefulCall:
    """JXL302: a call of a submodule that updates its own state (never fixed here)."""

    body: BodyFacts
    attr: str
    kind: str
