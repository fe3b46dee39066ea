"""The plan data types: what a loop becomes (LoopPlan), or why it stays (Refusal).

A plan holds intents over the user's original ast nodes, never code text: the arrays a scan
iterates are ``Over`` / ``Arange`` / ``Positions`` of original expressions, the fori_loop bounds
and the padded bound are original expressions. ``fixers/render`` writes them from the matching
libcst nodes, so the user's formatting and comments inside them are kept.
"""
from __future__ import annotations

import ast
from dataclasses import dataclass, field
from typing import Optional, Union

from ...diagnostics import Applicability
from ..index import FunctionInfo
from ..loops import LoopModel

SCAN, FORI, WHILE, VMAP = "scan", "fori_loop", "while_loop", "vmap"


# -- what a scan iterates --------------------------------------------------------------------
@dataclass(frozen=True, eq=False)
class Over:
    """An array of the user's code, as it is (``xs``) or reversed (``xs[::-1]``)."""

    node: ast.expr
    reverse: bool = False


@dataclass(frozen=True, eq=False)
class Arange:
    """``jnp.arange(*args)``: the values ``range(*args)`` gives, as an array; ``reverse`` for
    ``reversed(range(...))``."""

    args: tuple[ast.expr, ...]
    reverse: bool = False


@dataclass(frozen=True, eq=False)
class Positions:
    """The numbers ``enumerate`` pairs with ``array``: ``jnp.arange(len)``, or from ``start``
    (``jnp.arange(start, start + len)``)."""

    array: Over
    start: Optional[ast.expr] = None


Xs = Union[Over, Arange, Positions]


@dataclass(eq=False)
class Output:
    """A list appended once per step and stacked once after the loop: the scan's ``ys``."""

    name: str
    init: ast.Assign          # ``outs = []`` before the loop (removed)
    append: ast.Expr          # ``outs.append(v)``, a statement of the loop body (replaced)
    value: ast.expr
    consumer: ast.Call        # ``jnp.stack(outs[, axis=k])`` after the loop (replaced)
    axis: int = 0
    reverse: bool = False     # consumed as ``jnp.stack(outs[::-1])``


@dataclass(frozen=True, eq=False)
class Guard:
    """An operand of a singular operation in a masked step (``z`` in ``jnp.log(z)``), written
    ``jnp.where(<mask>, <safe>, z)``: harmless in the steps the original never ran."""

    node: ast.expr
    safe: str                 # a literal: "1", "0"
    after_stop: bool = False  # masked by the step's own stop test too (below the check)


@dataclass(eq=False)
class LoopPlan:
    form: str                         # SCAN / FORI / WHILE / VMAP
    loop: LoopModel
    function: FunctionInfo
    carried: list[str]
    outputs: list[Output] = field(default_factory=list)
    # scan / vmap: the arrays iterated and the target each step binds
    xs: list[Xs] = field(default_factory=list)
    step_target: Optional[ast.expr] = None
    # ``if <cond>: break`` as a statement of the body: a masked scan with a ``done`` flag
    stop: Optional[ast.If] = None
    # ``if <cond>: return v`` as the stop: the ``return w`` right after the loop, which becomes
    # ``return jnp.where(done, v, w)``
    final_return: Optional[ast.Return] = None
    # pad and mask: scan over a static maximum; steps with index >= this bound are masked
    mask_bound: Optional[ast.expr] = None
    # the body rebinds a name the bound reads: the mask reads a copy taken before the loop
    mask_bound_snapshot: bool = False
    # masked steps (stop or mask_bound): operands guarded against inf/nan gradients
    guards: list[Guard] = field(default_factory=list)
    # fori_loop: the bounds (a lower bound of None is 0); the index name
    lower: Optional[ast.expr] = None
    upper: Optional[ast.expr] = None
    index: Optional[str] = None
    applicability: Applicability = Applicability.SAFE
    notes: list[str] = field(default_factory=list)  # why the fix is unsafe
    # How the module spells jax.lax / jax.numpy; ``import jax`` is added when neither exists.
    lax: str = "jax.lax"
    jnp: str = "jax.numpy"
    vmap: str = "jax.vmap"
    needs_jax_import: bool = False

    @property
    def target(self) -> str:
        """The public name of what the loop becomes: ``jax.lax.scan``, ``jax.vmap``, ..."""
        return "jax.vmap" if self.form == VMAP else f"jax.lax.{self.form}"

    @property
    def description(self) -> str:
        carry = ", ".join(self.carried) or "nothing"
        if self.form == VMAP:
            text = "rewrite as jax.vmap over independent steps"
        else:
            text = f"rewrite as jax.lax.{self.form} carrying {carry}"
        if self.outputs:
            text += " with per-step outputs " + ", ".join(o.name for o in self.outputs)
        if self.notes:
            text += " (unsafe: " + "; ".join(self.notes) + ")"
        return text


@dataclass(frozen=True)
class Refusal:
    reason: str


Plan = Union[LoopPlan, Refusal]


class Refuse(Exception):
    """Raised by a planner with the reason there is no fix; caught and turned into a Refusal."""
