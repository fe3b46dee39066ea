"""The properties every generated program must have; shared by tests/test_fuzz.py and
benchmarks/fuzz.py so the short test and the long campaign judge programs the same way.

``check_static(source, unsafe)``: lint and fix never crash (a ``SourceError`` for input the core
cannot analyse is fine, except the fixer's own "internal error"), the fixed text parses, fixing
it again changes nothing, and a file with no applied fix comes back byte-identical.

``check_runs(program, fixed)``: the fixed module's entry point, under jit, computes what the
original computes under ``jax.disable_jit()`` (values, shapes, dtypes, output structure).
``strict=True`` (the hazard campaign) also holds weak types to account where the original
returns a Python scalar, compares gradients where the program asks, and judges the outcome as
the hazard set does (tests/verdicts.py): an unsafe fix may raise only for a reason its note
names (``program.raise_note``).
"""
from __future__ import annotations

import ast
import itertools
import linecache
import re
import traceback
import types
from dataclasses import dataclass, field

from fixers.apply import fix_source
from jaxloop_lint import SourceError, lint_source

# Failure kinds, in the order the campaign prints them.
CRASH, NONPARSE, IDEMPOTENCE, UNTOUCHED, EQUIVALENCE, BAD_PROGRAM = (
    "crash", "non-parsing output", "idempotence failure", "untouched file changed",
    "equivalence failure", "invalid generated program")
# kind -> how the campaign counts it
FAILURES = {CRASH: "crashes", NONPARSE: "non-parsing outputs", IDEMPOTENCE: "idempotence failures",
            UNTOUCHED: "unfixed files changed", EQUIVALENCE: "equivalence failures",
            BAD_PROGRAM: "invalid generated programs"}

_DEF = re.compile(r"^([ \t]*)def ", re.MULTILINE)


def jax_module(code: str) -> str:
    """Arbitrary code as the core must analyse it: ``import jax`` first (or the cheap gate skips
    the file unparsed) and every ``def`` under ``@jax.jit`` (so its body counts as traced)."""
    return "import jax\n" + _DEF.sub(lambda m: f"{m[1]}@jax.jit\n{m[1]}def ", code)


_REFUSAL = re.compile(r"no automatic fix: (.*)$")


@dataclass
class Outcome:
    failure: str | None = None          # one of FAILURES, or None
    detail: str = ""
    rejected: str | None = None         # the core's SourceError for input it cannot analyse
    findings: int = 0
    applied: int = 0
    remaining: int = 0                  # findings left after the fix
    refusals: list[str] = field(default_factory=list)
    fixed: str | None = None
    notes: list[str] = field(default_factory=list)  # descriptions of the unsafe fixes applied
    problems: list = field(default_factory=list)    # equivalence.Problem of an eager comparison
    verdict: str | None = None          # check_runs(strict=True): tests/verdicts.py's verdict

    @property
    def ok(self) -> bool:
        return self.failure is None


def _crash(what: str) -> Outcome:
    return Outcome(CRASH, f"{what}: {traceback.format_exc(limit=-3)}")


def refusal_reason(message: str) -> str | None:
    m = _REFUSAL.search(message)
    return m and m[1]


def check_static(source: str, *, unsafe: bool, path: str = "fuzz.py") -> Outcome:
    try:
        diags = lint_source(source, path)
    except SourceError as exc:
        return Outcome(rejected=str(exc))
    except Exception:  # noqa: BLE001 - anything else is a crash to report
        return _crash("lint_source")
    out = Outcome(findings=len(diags),
                  refusals=[r for r in map(refusal_reason, (d.message for d in diags)) if r])
    try:
        result = fix_source(source, path, unsafe=unsafe)
    except SourceError as exc:
        kind = NONPARSE if str(exc).startswith("internal error") else CRASH
        out.failure, out.detail = kind, f"fix_source raised SourceError: {exc}"
        return out
    except Exception:  # noqa: BLE001
        return _crash("fix_source")
    out.applied, out.remaining, out.fixed = len(result.applied), len(result.remaining), result.fixed
    out.notes = [d.fix.description for d in result.applied if d.fix.applicability.value == "unsafe"]
    try:
        ast.parse(result.fixed)
    except (SyntaxError, ValueError) as exc:
        out.failure, out.detail = NONPARSE, f"fixed text does not parse: {exc}"
        return out
    if not result.applied and result.fixed != source:
        out.failure, out.detail = UNTOUCHED, "no fix applied, yet the text changed"
        return out
    try:
        again = fix_source(result.fixed, path, unsafe=unsafe)
    except Exception as exc:  # noqa: BLE001 - a SourceError on our own output is a failure too
        out.failure, out.detail = IDEMPOTENCE, f"fixing the fixed text raised {exc!r}"
        return out
    if again.fixed != result.fixed or again.applied:
        out.failure = IDEMPOTENCE
        out.detail = f"second run applied {[d.code for d in again.applied]} and changed the text"
    return out


_modules = itertools.count()


def load(text: str, tag: str) -> types.ModuleType:
    """Execute generated module text (our own programs, never user files). Its lines are in
    ``linecache``, so tracebacks show them."""
    module = types.ModuleType(f"fuzz_{tag}_{next(_modules)}")
    filename = f"<{module.__name__}>"
    linecache.cache[filename] = (len(text), None, text.splitlines(True), filename)
    exec(compile(text, filename, "exec"), module.__dict__)  # noqa: S102
    return module


def _entry(module, dotted: str):
    obj = module
    for part in dotted.split("."):
        obj = getattr(obj, part)
    return obj


_TRACER_ERRORS = ("TracerBoolConversionError", "TracerIntegerConversionError",
                  "ConcretizationTypeError")


def check_runs(program, fixed: str, *, strict: bool = False, notes=()) -> Outcome:
    """Run the original eagerly and the fixed program under jit; compare the results.

    A loop the fixer left alone (refused, or not reported) may raise under jit, as it did
    before the fix. When jit fails with a tracer conversion error *and the original fails the
    same way under jit* (strict: on the same line of code), both programs are compared under
    ``jax.disable_jit()`` instead: the fixed parts must still compute the same values.
    ``Outcome.detail`` then says "eager". ``notes``: the unsafe fixes' descriptions (strict).
    """
    import equivalence as eq
    import verdicts

    try:
        before = load(program.source, "before")
        after = load(fixed, "after")
    except Exception:  # noqa: BLE001
        return Outcome(EQUIVALENCE, f"fixed module does not load: {traceback.format_exc(limit=-2)}")
    original, rewritten = _entry(before, program.entry), _entry(after, program.entry)
    grad = "auto" if strict and getattr(program, "grad", False) else None
    report = eq.check_equivalent(
        original, rewritten, before.make_args, trip_counts=(program.trip_count,), grad=grad,
        expect_primitive=None, check_size=False, rtol=RTOL, atol=ATOL)
    if report.ok:
        return Outcome(verdict=verdicts.FIXED_UNSAFE if notes else verdicts.FIXED_SAFE)
    if report.has("reference_error") or report.has("grad_reference_error"):
        return Outcome(BAD_PROGRAM, str(report))
    if not strict and report.kinds == {"weak_type"} and _returns_python_scalar(
            original, before.make_args, program.trip_count):
        return Outcome(detail=PYTHON_SCALAR)
    problems, eagerly = report.problems, False
    tracer = any(e in p for p in report.of_kind("candidate_error") for e in _TRACER_ERRORS)
    if tracer and report.kinds <= {"candidate_error", "grad_error"}:
        raised = _raises_under_jit(original, before.make_args, program.trip_count)
        if raised is not None and (not strict or raised == _raises_under_jit(
                rewritten, before.make_args, program.trip_count)):
            eager = _compare_eagerly(original, rewritten, before.make_args, program.trip_count)
            if not strict:
                return eager
            problems, eagerly = eager.problems, True
    if not strict:
        return Outcome(EQUIVALENCE, str(report))
    verdict = verdicts.verdict(problems, list(notes),
                               {"unsafe_raise_note": getattr(program, "raise_note", {})})
    detail = "compared eagerly: " + "\n".join(problems) if eagerly else str(report)
    if verdict in verdicts.WRONG:
        return Outcome(EQUIVALENCE, f"{verdict}: {detail}", verdict=verdict)
    return Outcome(detail="eager" if eagerly else verdict, verdict=verdict)


RTOL, ATOL = 1e-4, 1e-5
# A Python float carry that no step updated (every step skipped by `continue`) comes out of the
# eager original as a Python float, weak-typed; under jit no program can return that. Values,
# shapes and dtypes are still compared; only the weak_type is not.
PYTHON_SCALAR = "python scalar"


def _returns_python_scalar(original, make_args, T) -> bool:
    import jax

    with jax.disable_jit():
        out = original(*make_args(T))
    return any(isinstance(leaf, (int, float)) for leaf in jax.tree.leaves(out))


def _raises_under_jit(fn, make_args, T):
    """None if ``fn`` runs under jit, else the tracer error it raises and the line of the
    program that raised it (the innermost frame in a module ``load`` built)."""
    import jax

    import equivalence as eq

    args = make_args(T)
    if eq._has_nnx(args):
        from flax import nnx
        jitted = nnx.jit(fn)
    else:
        jitted = jax.jit(fn)
    try:
        jitted(*args)
    except Exception as exc:  # noqa: BLE001
        if type(exc).__name__ not in _TRACER_ERRORS:
            return None
        lines = [f.line for f in traceback.extract_tb(exc.__traceback__)
                 if f.filename.startswith("<fuzz_")]
        return type(exc).__name__, lines[-1] if lines else None
    return None


def _compare_eagerly(original, rewritten, make_args, T) -> Outcome:
    import jax

    import equivalence as eq

    with jax.disable_jit():
        ref = original(*make_args(T))           # make_args is seeded: two equal argument sets
        try:
            cand = rewritten(*make_args(T))
        except Exception as exc:  # noqa: BLE001
            out = Outcome(EQUIVALENCE, f"eager run of the partly fixed program raised: "
                                       f"{traceback.format_exc(limit=-2)}")
            out.problems = [eq.Problem("candidate_error", f"eager: {type(exc).__name__}: {exc}")]
            return out
    problems = eq.compare_trees(ref, cand, rtol=RTOL, atol=ATOL)
    if problems:
        out = Outcome(EQUIVALENCE, "compared eagerly: " + "\n".join(problems))
    else:
        out = Outcome(detail="eager")
    out.problems = problems
    return out
