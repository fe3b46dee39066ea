"""Rewrite plans: what a finding's fix is, or why it has none.

The analysis decides; the fixer only renders. A plan holds intents over the original ast nodes
(never code text): ``fixers/render`` writes them from the matching libcst nodes.

    types.py          LoopPlan, Output, Refusal; what a scan iterates (Over, Arange, Positions)
    edits.py          EditPlan: local edits (replace, insert, delete, rename) with Code pieces
    requests.py       what a rule asks for; ``ModuleModel.plan(request)`` is the one entry
    loop.py           a loop's plan: the order of the checks below, then the form
    context.py        the loop being planned, and facts several checks share
    iteration.py      range / reversed / enumerate / zip / arrays / padded -> scan or fori_loop
    index_use.py      the loop index may only index arrays (it becomes a traced int32)
    carries.py        which names the loop carries, and whether each can be a lax carry
    outputs.py        per-step outputs: ``outs = []``, one append per step, one stack after
    effects.py        Python effects of the body's calls and writes; pure helper functions
    refusals.py       statements a step cannot hold; the masked stop; ``for ... else``
    item_assign.py    JXL204: ``x[i] = v`` -> ``x = x.at[i].set(v)``
    outer_appends.py  JXL203: an outer list appended in a scan body -> the scan's ys
    variables.py      JXL301 / JXL302: hoist an nnx Variable read, carry a written Variable
"""
from __future__ import annotations

from .. import jaxapi
from . import requests
from .edits import EditPlan
from .item_assign import item_assign_plan
from .loop import plan_loop
from .outer_appends import ys_plan
from .types import LoopPlan, Plan, Refusal
from .variables import carry_plan, hoist_plan


def plan(model, request):
    """The plan for one request (a ``requests`` instance) on ``model`` (a ModuleModel)."""
    return _PLANNERS[type(request)](model, request)


def _stateful_call(model, r: requests.StatefulCall) -> Refusal:
    nnx_loop = jaxapi.NNX_EQUIVALENT.get(r.body.site.qualname, "fori_loop")
    return Refusal(f"the module must go through nnx.{nnx_loop}: `self.{r.attr}` is an "
                   f"nnx.{r.kind}, which updates its own state when called")


_PLANNERS = {
    requests.LoopRewrite: lambda m, r: plan_loop(m.index, r.facts, r.loop),
    requests.ItemAssign: lambda m, r: item_assign_plan(r.facts, r.item),
    requests.OuterAppend: lambda m, r: ys_plan(m.index, r.body, r.node),
    requests.VariableRead: lambda m, r: hoist_plan(m.index, r.body, r.attr, m.variable_access),
    requests.VariableWrites: lambda m, r: carry_plan(m.index, r.body, m.variable_access),
    requests.StatefulCall: _stateful_call,
}

__all__ = ["EditPlan", "LoopPlan", "Plan", "Refusal", "plan", "requests"]
