"""The adversarial hazard set of issue 12 and how the fixer's work on it is judged; shared by
tests/test_hazards.py and benchmarks/hazards.py, so the suite and the summary judge alike.

``tests/hazards/<category>/<name>.py`` is a small module in two parts:

* the **program**: a traced function (``@jax.jit``, ``nnx.jit``, an nnx ``__call__``...) with a
  loop that traps a rewriter, and a comment naming the trap;
* after the line starting with ``MARKER``, a **hand-written lax rewrite** proving a correct one
  exists, the argument builder and ``CASE = dict(...)``. The fixer never sees this part: it fixes
  the program part alone, as it would the user's file, and the part is appended again to run it.

``CASE`` keys (literals unless said):

    entry="fn" | "Model.method"     the traced function (pass modules as the first argument)
    rewrite="fn_lax"                the hand-written rewrite, same signature
    args=<callable T -> tuple>      the arguments for trip count T (seeded: equal on every call)
    hazard="closure/late-binding"   "<category>/<sub-kind>", the row the program counts in
    expect="safe" | "unsafe" | "refuse"   what a correct tool does: "safe" marks a control that a
                                    correct tool fixes safely (coverage); "refuse" a trap where
                                    refusing is right; "unsafe" where an unsafe fix is right
    trip_counts=(2, 5)              two small trip counts
    grad=None | "auto"              compare reverse-mode gradients too (equivalence.py's loss)
    differentiable=True             the hand rewrite is reverse-differentiable (False: jvp)
    primitive="scan" | "while"      the loop primitive the hand rewrite must hold
    unsafe_raise_note={"leading axis sizes": "zip"}   the failures an unsafe fix may hit and how
                                    its note must name them: when the fixed program raises, the
                                    error's text must contain a key and an applied unsafe fix's
                                    note one of its words (a str or a tuple, case-insensitive).
                                    Any other raise of an unsafe fix is unnamed.
    unsafe_t0_note="T = 0"          words for a result that differs at T = 0 only (the policy
                                    allows an unsafe fix of a weak Python scalar start that says so)
    XFAIL_SAFE / XFAIL_UNSAFE / XFAIL_COVERAGE = "<diagnosis>"   today's tool gets this wrong:
                                    the matching test is a strict xfail (it XPASSes, failing the
                                    suite, once the planner is repaired: then delete the key)

Verdicts (tests/verdicts.py), per mode (safe = the default, unsafe = ``--unsafe-fixes``) and per
program (the worse of the two): fixed-safe-ok, fixed-unsafe-ok, refused, WRONG-safe-silent,
WRONG-safe-raises, WRONG-unsafe-silent, WRONG-unsafe-unnamed, INTERNAL-ERROR.

Equivalence is equivalence.py's: the original under ``jax.disable_jit()`` against the fixed
program under ``jax.jit`` (``nnx.jit`` for modules), structure, shape, dtype with weak type,
values, nnx state and, where the CASE asks, gradients.
"""
from __future__ import annotations

import functools
import re
import traceback
from dataclasses import dataclass, field
from pathlib import Path

import equivalence as eq
import fuzzcheck
import jax
from casefile import static_case
from fixers.apply import fix_source
from jaxloop_lint.diagnostics import Applicability
from verdicts import (FIXED_SAFE, FIXED_UNSAFE, INTERNAL, REFUSED, SAFE_RAISES,  # noqa: F401
                      SAFE_SILENT, UNSAFE_SILENT, UNSAFE_UNNAMED, WRONG, verdict)

HAZARDS = Path(__file__).parent / "hazards"
MARKER = "# --- hand-written lax rewrite"
CATEGORIES = ("closures", "effects", "carries", "nnx_variables", "unsafe_fixes",
              "internal_errors")

DEFAULT_TRIP_COUNTS = (2, 5)


# --------------------------------------------------------------------------------------------
# the programs


@dataclass(frozen=True)
class HazardProgram:
    path: Path
    category: str
    program: str                    # the part the fixer sees
    rest: str                       # the hand-written rewrite, args and CASE

    @property
    def name(self) -> str:
        return f"{self.category}/{self.path.stem}"

    @functools.cached_property
    def case(self) -> dict:
        return static_case(self.path)


def split(text: str, where: str = "") -> tuple[str, str]:
    """The program part and the rest (from the marker line on)."""
    at = text.find("\n" + MARKER)
    if at < 0:
        raise ValueError(f"{where}: no line starting with {MARKER!r}")
    return text[:at + 1], text[at + 1:]


@functools.lru_cache(maxsize=None)
def programs() -> tuple[HazardProgram, ...]:
    out = []
    for category in CATEGORIES:
        for path in sorted((HAZARDS / category).glob("*.py")):
            program, rest = split(path.read_text(), str(path))
            out.append(HazardProgram(path, category, program, rest))
    return tuple(out)


def by_name(name: str) -> HazardProgram:
    return next(p for p in programs() if p.name == name)


@functools.lru_cache(maxsize=None)
def original_module(name: str):
    program = by_name(name)
    return fuzzcheck.load(program.program + program.rest, "hazard")


def entry(module, dotted: str):
    return fuzzcheck._entry(module, dotted)


@dataclass
class Subject:
    """One program's original entry point, arguments and CASE, shared by its three checks (the
    hand rewrite, the safe fix, the unsafe fix). The arguments of each trip count are built once
    (check_equivalent copies them before each run) and the original's eager result for them is
    computed once."""

    original: object
    case: dict


@functools.lru_cache(maxsize=None)
def subject(name: str) -> Subject:
    module = original_module(name)
    case = dict(module.CASE, args=functools.lru_cache(maxsize=None)(module.CASE["args"]))
    return Subject(_Reference(entry(module, case["entry"])), case)


class _Reference:
    """The original, with its eager results memoised for arguments that are the very same
    arrays. Not memoised: runs on tracers (the gradient check), under jit, and on nnx modules
    (their state after the run is compared)."""

    def __init__(self, fn):
        self.fn = fn
        self.__qualname__ = getattr(fn, "__qualname__", repr(fn))
        self.runs: list[tuple[list, object]] = []   # (argument leaves, result)

    def __call__(self, *args):
        leaves = jax.tree.leaves(args)
        memo = jax.config.jax_disable_jit and not eq._has_nnx(args) and all(
            isinstance(x, (int, float, bool)) or isinstance(x, jax.Array)
            and not isinstance(x, jax.core.Tracer) for x in leaves)
        if memo:
            for key, out in self.runs:
                if len(key) == len(leaves) and all(a is b for a, b in zip(key, leaves)):
                    return out
        out = self.fn(*args)
        if memo:
            self.runs.append((leaves, out))
        return out


def check(original, candidate, case, *, hand: bool) -> eq.Report:
    """``check_equivalent`` with the CASE's settings. The hand rewrite must also hold its loop
    primitive at a size independent of T; a fixed program is judged on its results only."""
    primitive = case.get("primitive", ("scan", "while"))
    return eq.check_equivalent(
        original, candidate, case["args"],
        trip_counts=case.get("trip_counts", DEFAULT_TRIP_COUNTS), grad=case.get("grad"),
        differentiable=case.get("differentiable", True) if hand else True,
        expect_primitive=primitive if hand else None, check_size=hand)


def check_rewrite(name: str) -> eq.Report:
    """The hand-written rewrite against the original. A CASE with T = 0 among its trip counts
    (an empty loop: the rewrite may return without a loop) has its loop primitive and size
    checked at the non-zero one and that plus two."""
    it = subject(name)
    case = it.case
    rewrite = entry(original_module(name), case["rewrite"])
    trips = case.get("trip_counts", DEFAULT_TRIP_COUNTS)
    if 0 not in trips:
        return check(it.original, rewrite, case, hand=True)
    report = check(it.original, rewrite, case, hand=False)
    T = max(trips)
    loops = check(it.original, rewrite, dict(case, trip_counts=(T, T + 2), grad=None), hand=True)
    report.problems += loops.problems
    report.notes += loops.notes
    return report


# --------------------------------------------------------------------------------------------
# judging the fixer


@dataclass
class Outcome:
    verdict: str
    detail: str = ""
    applied: list = field(default_factory=list)   # (code, line, "safe"/"unsafe", description)
    fixed: str = ""

    @property
    def wrong(self) -> bool:
        return self.verdict in WRONG


@functools.lru_cache(maxsize=None)
def fix(name: str, unsafe: bool):
    """``fix_source`` on the program part, or the exception it raised."""
    program = by_name(name)
    try:
        return fix_source(program.program, f"{program.path.stem}.py", unsafe=unsafe)
    except Exception as exc:  # noqa: BLE001 - any exception of the tool is the verdict
        exc.trace = traceback.format_exc(limit=-4)
        return exc


@functools.lru_cache(maxsize=None)
def judge(name: str, unsafe: bool) -> Outcome:
    result = fix(name, unsafe)
    if isinstance(result, BaseException):
        trace = getattr(result, "trace", "")
        return Outcome(INTERNAL, f"{type(result).__name__}: {result}\n{trace}")
    if unsafe:
        safe = fix(name, False)
        if not isinstance(safe, BaseException) and safe.fixed == result.fixed:
            return judge(name, False)          # the same text: the same outcome
    applied = [(d.code, d.line, d.fix.applicability.value, d.fix.description)
               for d in result.applied]
    if not result.applied:
        reasons = sorted({d.message.split("no automatic fix: ", 1)[1]
                          for d in result.remaining if "no automatic fix: " in d.message})
        reasons += sorted({f"only unsafe: {d.fix.description}" for d in result.remaining
                           if d.fix is not None})
        return Outcome(REFUSED, "; ".join(reasons), fixed=result.fixed)
    notes = [desc for _, _, kind, desc in applied if kind == Applicability.UNSAFE.value]
    return judge_fixed(name, result.fixed, notes, applied)


def judge_fixed(name: str, fixed_program: str, notes: list[str], applied=()) -> Outcome:
    """Run a fixed program part (with the program's own rewrite part) against the original and
    judge it; ``notes``: the descriptions of the unsafe fixes applied to it."""
    it = subject(name)
    case = it.case
    try:
        fixed = fuzzcheck.load(fixed_program + by_name(name).rest, "fixed")
        report = check(it.original, entry(fixed, case["entry"]), case, hand=False)
        problems, text = report.problems, str(report)
    except Exception:  # noqa: BLE001 - the fixed module does not even load
        text = traceback.format_exc(limit=-3)
        problems = [eq.Problem("candidate_error", text)]
    if {p.kind for p in problems} & {"reference_error", "grad_reference_error"}:
        raise AssertionError(f"{name}: the original does not run (a defect of the set):\n{text}")
    return Outcome(verdict(problems, notes, case), text, list(applied), fixed_program)


def program_verdict(name: str) -> str:
    """One verdict per program: the worst of the two modes."""
    found = {judge(name, False).verdict, judge(name, True).verdict}
    return next((v for v in (INTERNAL, SAFE_SILENT, SAFE_RAISES, UNSAFE_SILENT, UNSAFE_UNNAMED,
                             FIXED_UNSAFE, FIXED_SAFE) if v in found), REFUSED)


def diagnosis(outcome: Outcome) -> str:
    """A one-line account of an outcome, for an XFAIL key and the summary: the verdict, the fix
    applied and the first problem (or the refusal, or the tool's exception)."""
    if outcome.verdict == INTERNAL:
        return f"{INTERNAL}: {outcome.detail.splitlines()[0]}"
    if outcome.verdict == REFUSED:
        return f"{REFUSED}: {outcome.detail.splitlines()[0] if outcome.detail else 'no fix'}"
    fixes = "; ".join(dict.fromkeys(desc.split(" (unsafe:")[0] for *_, desc in outcome.applied))
    problem = next((ln.strip() for ln in outcome.detail.splitlines()
                    if ln.strip().startswith("[")), "")
    problem = re.sub(r"^\[(\w+) T=\d+\] ", r"\1: ", problem)
    problem = re.sub(r"(values differ)(, max\|diff\|| \(exact).*", r"\1", problem)
    problem = re.sub(r"^(candidate|grad)_error: [\w.]+\(rewritten\): ", r"\1 raises ", problem)
    return f"{outcome.verdict} after `{fixes}`: {problem}"
