"""Loop plans: how a data-scaled loop becomes ``jax.lax.scan`` / ``fori_loop`` /
``while_loop`` / ``jax.vmap``, or the reason it cannot be rewritten without changing what the
program computes.

The analysis decides; the fixer only renders. The checks run in a fixed order (the first
refusal is the reason given): statements the step cannot hold, the masked stop, per-step
outputs, effects, growing arrays, carries, then the iteration form. Preconditions: a static
trip count for scan, every carry bound before the loop, no Python side effects, the loop index
used only to index arrays, per-step outputs appended once per step and stacked once after the
loop.
"""
from __future__ import annotations

import ast

from ...diagnostics import Applicability
from ..flow import FunctionFacts
from ..index import ModuleIndex
from ..loops import LoopModel
from .carries import carried_names
from .closures import check_closures
from .differentiated import check_differentiable
from .context import LoopContext
from .effects import check_effects, check_growth
from .iteration import plan_for
from .outputs import per_step_outputs
from .refusals import check_else, check_statements, check_walrus, final_return
from .types import VMAP, WHILE, Arange, LoopPlan, Plan, Positions, Refusal, Refuse


def plan_loop(index: ModuleIndex, facts: FunctionFacts, loop: LoopModel) -> Plan:
    ctx = LoopContext(index, facts, loop)
    try:
        return _finish(ctx, _plan(ctx))
    except Refuse as refusal:
        return Refusal(str(refusal))


def _plan(ctx: LoopContext) -> LoopPlan:
    node = ctx.node
    if node.orelse:
        check_else(ctx)
    check_statements(ctx)
    ctx.final_return = final_return(ctx) if ctx.stops_by_return else None
    outputs = per_step_outputs(ctx)
    output_names = {o.name for o in outputs}
    check_effects(ctx, output_names)
    check_growth(ctx)
    carried = carried_names(ctx, output_names)
    check_closures(ctx, carried, output_names)
    if isinstance(node, ast.While):
        if outputs:
            raise Refuse("per-step outputs of a `while` loop have a data-dependent length")
        check_walrus(ctx)
        reason = check_differentiable(ctx.index, ctx.fn, "jax.lax.while_loop")
        if reason:
            raise Refuse(reason)
        ctx.notes.append("jax.lax.while_loop is not reverse-differentiable")
        return LoopPlan(WHILE, ctx.loop, ctx.fn, carried)
    return plan_for(ctx, carried, outputs)


def _finish(ctx: LoopContext, plan: LoopPlan) -> LoopPlan:
    """What every form needs: something to hand back, the module's spelling of jax, safety."""
    if not plan.carried and not plan.outputs:
        raise Refuse("nothing computed in the loop is used after it")
    plan.lax = ctx.local_name("jax.lax") or "jax.lax"
    plan.vmap = ctx.local_name("jax.vmap") or "jax.vmap"
    plan.jnp = ctx.jnp
    used = [plan.vmap if plan.form == VMAP else plan.lax]
    if any(isinstance(x, (Arange, Positions)) for x in plan.xs) or any(
            o.axis for o in plan.outputs) or plan.stop is not None or plan.mask_bound:
        used.append(plan.jnp)
    plan.needs_jax_import = "jax" not in ctx.imports.names and any(
        u.startswith("jax.") for u in used)
    plan.notes = ctx.notes
    plan.applicability = Applicability.UNSAFE if ctx.notes else Applicability.SAFE
    return plan
