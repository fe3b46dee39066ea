"""The adversarial hazard set of issue 12 (tests/hazards/, judged by tests/hazardcheck.py).

For every program:

(a) test_rewrite_is_equivalent: the hand-written lax rewrite computes what the original
    computes eagerly (structure, shape, dtype with weak type, values, nnx state, gradients where
    the CASE asks) and holds its loop primitive at a size that does not grow with T. It never
    xfails: a program without a correct rewrite is a defect of the set.
(b) test_safe_fix: ``fix_source`` in safe mode either refuses or gives an equivalent program.
(c) test_unsafe_fix: with unsafe fixes, an equivalent program, a refusal, or a program that
    raises for a reason an applied fix's note names (CASE ``unsafe_raise_note``).
(d) test_control_is_fixed: a program whose CASE says ``expect="safe"`` (a control a correct tool
    fixes) gets a safe fix that is equivalent: the set measures coverage, not only refusals.

An internal error of the tool fails (b) and (c). Today's wrong outcomes carry ``XFAIL_SAFE``,
``XFAIL_UNSAFE`` or ``XFAIL_COVERAGE`` in their CASE, which makes the matching test a strict
xfail: it XPASSes, failing the suite, as soon as the planner gets it right (then delete the key).
``python benchmarks/hazards.py`` prints the table of verdicts per category.
"""
from __future__ import annotations

import collections
import os
import sys

import pytest

pytest.importorskip("jax")
pytest.importorskip("flax")

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import hazardcheck as hc  # noqa: E402

PROGRAMS = hc.programs()


def _params(xfail_key=None, only=lambda p: True):
    out = []
    for p in PROGRAMS:
        if not only(p):
            continue
        reason = p.case.get(xfail_key) if xfail_key else None
        marks = [pytest.mark.xfail(strict=True, reason=reason)] if reason else []
        out.append(pytest.param(p.name, marks=marks, id=p.name))
    return out


@pytest.mark.parametrize("name", _params())
def test_rewrite_is_equivalent(name):
    report = hc.check_rewrite(name)
    assert report.ok, f"\n{report}"


def _explain(outcome: hc.Outcome) -> str:
    return (f"\n{outcome.verdict}\napplied: {outcome.applied}\n{outcome.detail}"
            f"\n--- fixed program:\n{outcome.fixed}")


@pytest.mark.parametrize("name", _params("XFAIL_SAFE"))
def test_safe_fix(name):
    outcome = hc.judge(name, False)
    assert outcome.verdict in (hc.FIXED_SAFE, hc.REFUSED), _explain(outcome)


@pytest.mark.parametrize("name", _params("XFAIL_UNSAFE"))
def test_unsafe_fix(name):
    outcome = hc.judge(name, True)
    assert outcome.verdict in (hc.FIXED_SAFE, hc.FIXED_UNSAFE, hc.REFUSED), _explain(outcome)


@pytest.mark.parametrize("name", _params("XFAIL_COVERAGE", lambda p: p.case["expect"] == "safe"))
def test_control_is_fixed(name):
    outcome = hc.judge(name, False)
    assert outcome.verdict == hc.FIXED_SAFE, _explain(outcome)


# --------------------------------------------------------------------------------------------
# the set itself

SUB_KINDS = {
    "closures": {"late-binding"},
    "effects": {"mutates-argument", "mutates-global", "mutable-default", "stateful-decorator"},
    "carries": {"python-bool", "python-str", "python-list", "none", "python-int",
                "int-overflow", "global-nonlocal", "tuple-state", "shape-change", "dtype-change",
                "loop-index-dtype", "index-python-container", "array-of-tuples"},
    "nnx": {"two-loops-one-body", "carried-variable-read-by-method", "broadcasting-write",
            "write-in-closure"},
    "unsafe": {"early-return-types", "zip-unequal", "masked-nan-grad", "while-under-grad",
               "walrus-while", "padded-bound-rebound", "min-traced-bound"},
    "internal": {"one-line-for", "one-line-while", "odd-syntax"},
}
_CATEGORY_OF = {"closures": "closures", "effects": "effects", "carries": "carries",
                "nnx": "nnx_variables", "unsafe": "unsafe_fixes", "internal": "internal_errors"}
KEYS = {"entry", "rewrite", "args", "hazard", "expect", "trip_counts", "grad", "differentiable",
        "primitive", "unsafe_raise_note", "unsafe_t0_note", "XFAIL_SAFE", "XFAIL_UNSAFE",
        "XFAIL_COVERAGE"}


def test_the_set_covers_every_hazard():
    """At least 110 programs, and at least 5 for every sub-kind of every hazard category of the
    issue (controls are counted with the sub-kind they stand next to); about a quarter are
    controls that a correct tool fixes safely."""
    assert len(PROGRAMS) >= 110, len(PROGRAMS)
    kinds = collections.Counter(p.case["hazard"] for p in PROGRAMS)
    for group, subs in SUB_KINDS.items():
        for sub in subs:
            assert kinds[f"{group}/{sub}"] >= 5, (f"{group}/{sub}", kinds)
    assert set(kinds) == {f"{g}/{s}" for g, subs in SUB_KINDS.items() for s in subs}
    controls = sum(p.case["expect"] == "safe" for p in PROGRAMS)
    assert 0.2 <= controls / len(PROGRAMS) <= 0.35, (controls, len(PROGRAMS))


@pytest.mark.parametrize("name", _params())
def test_program_is_well_formed(name):
    program = hc.by_name(name)
    case = program.case
    assert set(case) | {"args"} <= KEYS, set(case) - KEYS
    group, sub = case["hazard"].split("/")
    assert sub in SUB_KINDS[group] and _CATEGORY_OF[group] == program.category, case["hazard"]
    assert case["expect"] in ("safe", "unsafe", "refuse")
    assert case["entry"] != case["rewrite"]
    assert program.program.startswith('"""Trap: ') or program.program.startswith('"""Control: ')
    assert case["entry"].split(".")[0] in program.program      # the fixer sees the traced code
    assert case["rewrite"] not in program.program             # ... and never the rewrite
    raise_note = case.get("unsafe_raise_note", {})
    assert isinstance(raise_note, dict), "unsafe_raise_note maps error text to note words"


# --------------------------------------------------------------------------------------------
# the judge can fail

CASE = {"unsafe_raise_note": {"leading axis sizes": "zip"}, "unsafe_t0_note": "T = 0"}
ZIP_NOTE = ("rewrite as jax.lax.scan (unsafe: jax.lax.scan raises where `zip` would silently "
            "stop at the shortest array)")


def _problem(kind, message="x", T=2):
    return hc.eq.Problem(kind, message, T)


@pytest.mark.parametrize("problems, notes, expected", [
    ([], [], hc.FIXED_SAFE),
    ([_problem("values")], [], hc.SAFE_SILENT),
    ([_problem("weak_type")], [], hc.SAFE_SILENT),
    ([_problem("candidate_error")], [], hc.SAFE_RAISES),
    ([_problem("grad_error")], [], hc.SAFE_RAISES),
    ([_problem("candidate_error"), _problem("aval", T=5)], [], hc.SAFE_SILENT),
    ([], [ZIP_NOTE], hc.FIXED_UNSAFE),
    ([_problem("candidate_error", "ValueError: scan got values with different leading axis "
                                  "sizes: 5, 4.")], [ZIP_NOTE], hc.FIXED_UNSAFE),
    ([_problem("candidate_error", "ValueError: scan got values with different leading axis "
                                  "sizes: 5, 4.")], ["unsafe: something else"], hc.UNSAFE_UNNAMED),
    ([_problem("candidate_error", "NameError: name 'r' is not defined")], [ZIP_NOTE],
     hc.UNSAFE_UNNAMED),
    ([_problem("values")], [ZIP_NOTE], hc.UNSAFE_SILENT),
    ([_problem("aval", T=0)], ["unsafe: the result differs at T = 0"], hc.FIXED_UNSAFE),
    ([_problem("aval", T=0)], [ZIP_NOTE], hc.UNSAFE_SILENT),
    ([_problem("aval", T=3)], ["unsafe: the result differs at T = 0"], hc.UNSAFE_SILENT),
])
def test_verdict_rules(problems, notes, expected):
    assert hc.verdict(problems, notes, CASE) == expected


def test_judge_catches_wrong_fixed_programs():
    """The real pipeline on a control's own safe fix, then on broken copies of it."""
    name = "closures/control_closure_over_invariant"
    good = hc.judge(name, False)
    assert good.verdict == hc.FIXED_SAFE, _explain(good)
    silent = good.fixed.replace("jnp.tanh(", "jnp.sin(")
    assert silent != good.fixed
    assert hc.judge_fixed(name, silent, []).verdict == hc.SAFE_SILENT
    raising = good.fixed.replace("jnp.tanh(", "jnp.no_such_function(")
    assert hc.judge_fixed(name, raising, []).verdict == hc.SAFE_RAISES
    assert hc.judge_fixed(name, raising, ["unsafe: anything"]).verdict == hc.UNSAFE_UNNAMED
    weak = good.fixed.replace("return h\n", "return jnp.asarray(h, jnp.float32) * 1\n", 1)
    assert hc.judge_fixed(name, weak, []).verdict == hc.FIXED_SAFE   # same dtype, strong: equal


def test_judge_compares_weak_types():
    """A fixed program that returns a strongly typed int32 where the original returns a Python
    int (weakly typed) is a silent change."""
    name = "effects/helper_attribute_store"
    program = hc.by_name(name).program
    strong = program.replace("return h, meter.count", "return h, jax.numpy.int32(meter.count)")
    assert strong != program
    outcome = hc.judge_fixed(name, strong, [])
    assert outcome.verdict == hc.SAFE_SILENT and "weak_type" in outcome.detail, outcome.detail


def test_an_exception_of_the_tool_is_an_internal_error(monkeypatch):
    def broken(name, unsafe):
        return AttributeError("'SimpleStatementSuite' object has no attribute 'header'")

    monkeypatch.setattr(hc, "fix", broken)
    outcome = hc.judge.__wrapped__("closures/control_closure_over_invariant", True)
    assert outcome.verdict == hc.INTERNAL and outcome.wrong
