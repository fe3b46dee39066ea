"""How a fixed program is judged against the fix-safety policy (issue 12): from the problems
equivalence.py found and the notes of the unsafe fixes applied. Shared by the hazard set
(tests/hazardcheck.py) and the fuzz campaign (tests/fuzzcheck.py); imports no jax.

    fixed-safe-ok         only safe fixes applied, and the result is equivalent
    fixed-unsafe-ok       an unsafe fix applied, and the result is equivalent or raises for a
                          reason the fix's note names
    refused               nothing applied
    WRONG-safe-silent     safe fixes only, and the result changed (values, dtype, weak type,
                          shape, structure, gradients or nnx state)
    WRONG-safe-raises     safe fixes only, and the fixed program raises where the original ran
    WRONG-unsafe-silent   an unsafe fix changed the result without raising
    WRONG-unsafe-unnamed  an unsafe fix made the program raise, and no note names why
    INTERNAL-ERROR        the tool itself raised
"""
from __future__ import annotations

FIXED_SAFE, FIXED_UNSAFE, REFUSED = "fixed-safe-ok", "fixed-unsafe-ok", "refused"
SAFE_SILENT, SAFE_RAISES = "WRONG-safe-silent", "WRONG-safe-raises"
UNSAFE_SILENT, UNSAFE_UNNAMED = "WRONG-unsafe-silent", "WRONG-unsafe-unnamed"
INTERNAL = "INTERNAL-ERROR"
VERDICTS = (FIXED_SAFE, FIXED_UNSAFE, REFUSED, SAFE_SILENT, SAFE_RAISES, UNSAFE_SILENT,
            UNSAFE_UNNAMED, INTERNAL)
WRONG = frozenset({SAFE_SILENT, SAFE_RAISES, UNSAFE_SILENT, UNSAFE_UNNAMED, INTERNAL})

# Problems that mean "the fixed program raised" rather than "it computed something else".
_RAISES = frozenset({"candidate_error", "grad_error", "jvp_error", "trace_error"})


def verdict(problems: list, notes: list[str], case: dict) -> str:
    """The verdict on a fixed program from its equivalence problems and the notes of the unsafe
    fixes applied to it (none: only safe fixes applied)."""
    silent = [p for p in problems if p.kind not in _RAISES]
    raises = [p for p in problems if p.kind in _RAISES]
    if not notes:
        return SAFE_SILENT if silent else SAFE_RAISES if raises else FIXED_SAFE
    # The policy lets an unsafe fix differ at T = 0 only (a weak Python scalar start that scan
    # promotes) when its note says so.
    if silent and not (all(p.trip_count == 0 for p in silent)
                       and mentions(notes, case.get("unsafe_t0_note"))):
        return UNSAFE_SILENT
    named = case.get("unsafe_raise_note") or {}
    if any(not any(error in p and mentions(notes, words) for error, words in named.items())
           for p in raises):
        return UNSAFE_UNNAMED
    return FIXED_UNSAFE


def mentions(notes: list[str], words) -> bool:
    """Does one of the unsafe fixes' notes contain one of ``words`` (case-insensitive)?"""
    if not words:
        return False
    words = (words,) if isinstance(words, str) else tuple(words)
    return any(w.lower() in note.lower() for note in notes for w in words)
