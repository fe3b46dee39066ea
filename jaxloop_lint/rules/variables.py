"""JXL203, JXL301, JXL302: what a lax loop body does to state outside itself.

    class Counter(nnx.Module):
        def __call__(self, h):
            def body(i, h):
                self.count[...] += 1      # JXL302: TraceContextError
                return self.w[...] @ h    # JXL301: hoist the read before the loop
            return jax.lax.fori_loop(0, 4, body, h)
"""
from __future__ import annotations

from ..analysis import jaxapi
from ..analysis.plans.edits import EditPlan
from ..analysis.plans.requests import OuterAppend, StatefulCall, VariableRead, VariableWrites
from . import Finding, rule, source


def _hoist(model, plan, attr: str) -> str:
    """The hoisted read as the fix writes it: ``W = self.W.value`` in a file on the ``.value``
    API, ``W = self.W[...]`` otherwise."""
    if isinstance(plan, EditPlan):
        return plan.target.removesuffix(" before the loop")
    return f"`{attr} = {model.variable_access.read(f'self.{attr}', True)}`"


def _loop(body) -> str:
    return source(body.site.call.func)


# A body handed to two loop calls is reported once: the core drops repeated findings.


@rule("JXL203")
def lax_body_outer_state(model):
    for body in model.bodies:
        for node, target in body.outer_writes:
            yield Finding("JXL203", node, {"loop": _loop(body), "target": target},
                          model.plan(OuterAppend(body, node)))


@rule("JXL301")
def lax_body_reads_variable(model):
    for body in model.bodies:
        if not body.is_nnx_loop:  # nnx lifted loops manage Variables themselves
            for attr, node in body.variable_reads.items():
                plan = model.plan(VariableRead(body, attr))
                yield Finding("JXL301", node, {"loop": _loop(body), "attr": attr,
                                               "hoist": _hoist(model, plan, attr)}, plan)


@rule("JXL302")
def lax_body_mutates_variable(model):
    for body in model.bodies:
        for attr, (call, kind) in body.stateful_calls.items():
            yield Finding("JXL302", call, {
                "loop": _loop(body), "what": f"the state of `self.{attr}` (nnx.{kind}"
                + (")" if kind in ("Rngs", "RngStream") else " in training mode)"),
                "nnx_loop": jaxapi.NNX_EQUIVALENT.get(body.site.qualname, "fori_loop")},
                model.plan(StatefulCall(body, attr, kind)))
        for attr, node in body.variable_writes.items():
            yield Finding("JXL302", node, {
                "loop": _loop(body), "what": f"nnx Variable `self.{attr}`",
                "nnx_loop": jaxapi.NNX_EQUIVALENT.get(body.site.qualname, "fori_loop")},
                model.plan(VariableWrites(body)))
