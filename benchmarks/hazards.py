"""The adversarial hazard set of issue 12 (tests/hazards/) through ``jaxloop-fix``: a table of
verdicts per category, for before/after figures.

    .venv/bin/python benchmarks/hazards.py                 # the tables
    .venv/bin/python benchmarks/hazards.py --list          # plus one line per program
    .venv/bin/python benchmarks/hazards.py --only carries  # one category

Each program is fixed in safe mode and with unsafe fixes, and each fixed program is run under
jit against the original run eagerly (tests/hazardcheck.py says how a verdict is reached; the
suite's tests/test_hazards.py judges the same way). Per program, the verdict is the worse of the
two modes. Prints; writes nothing.
"""
from __future__ import annotations

import argparse
import collections
import os
import sys
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "tests"), str(ROOT)]


def _table(title: str, columns: list[tuple[str, str]], rows: dict[str, collections.Counter]):
    print(title)
    width = max(len(r) for r in rows)
    print(f"  {'':<{width}} " + " ".join(f"{short:>9}" for short, _ in columns))
    for row, counts in rows.items():
        print(f"  {row:<{width}} " + " ".join(f"{counts[key]:>9}" for _, key in columns))


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", help="a category (directory under tests/hazards)")
    parser.add_argument("--list", action="store_true", help="one line per program")
    args = parser.parse_args(argv)
    os.environ.setdefault("JAX_PLATFORMS", "cpu")
    warnings.simplefilter("ignore")
    import hazardcheck as hc

    programs = [p for p in hc.programs() if args.only in (None, p.category)]
    start = time.perf_counter()
    per_program, safe_mode, unsafe_mode = {}, {}, {}
    coverage = collections.Counter()
    lines = []
    for p in programs:
        safe, unsafe = hc.judge(p.name, False), hc.judge(p.name, True)
        verdict = hc.program_verdict(p.name)
        for table, key in ((per_program, verdict), (safe_mode, safe.verdict)):
            table.setdefault(p.category, collections.Counter())[key] += 1
        kind = unsafe.verdict
        if kind == hc.FIXED_UNSAFE and not unsafe.detail.splitlines()[0].endswith(": OK"):
            kind = "raises-named"          # loud, and the note names why: allowed
        unsafe_mode.setdefault(p.category, collections.Counter())[kind] += 1
        if p.case["expect"] == "safe":
            coverage["controls"] += 1
            coverage["fixed"] += safe.verdict == hc.FIXED_SAFE
        lines.append(f"  {p.name:<58} {safe.verdict:<20} {unsafe.verdict:<20} "
                     f"{hc.diagnosis(unsafe if unsafe.wrong and not safe.wrong else safe)[:150]}")
    seconds = time.perf_counter() - start
    for table in (per_program, safe_mode, unsafe_mode):
        table["total"] = sum(table.values(), collections.Counter())

    print(f"== hazard set: {len(programs)} programs in {seconds:.0f} s")
    _table("per program (the worse of the two modes):",
           [("safe-ok", hc.FIXED_SAFE), ("unsafe-ok", hc.FIXED_UNSAFE), ("refused", hc.REFUSED),
            ("S-silent", hc.SAFE_SILENT), ("S-raises", hc.SAFE_RAISES),
            ("U-silent", hc.UNSAFE_SILENT), ("U-unnamed", hc.UNSAFE_UNNAMED),
            ("internal", hc.INTERNAL)], per_program)
    _table("safe mode (the default):",
           [("fixed-ok", hc.FIXED_SAFE), ("refused", hc.REFUSED), ("W-silent", hc.SAFE_SILENT),
            ("W-raises", hc.SAFE_RAISES), ("internal", hc.INTERNAL)], safe_mode)
    _table("with --unsafe-fixes (a wrong safe fix counts again here):",
           [("fixed-ok", hc.FIXED_SAFE), ("unsafe-ok", hc.FIXED_UNSAFE),
            ("raise-nam", "raises-named"), ("refused", hc.REFUSED),
            ("S-silent", hc.SAFE_SILENT), ("S-raises", hc.SAFE_RAISES),
            ("U-silent", hc.UNSAFE_SILENT), ("U-unnamed", hc.UNSAFE_UNNAMED),
            ("internal", hc.INTERNAL)], unsafe_mode)
    print(f"controls a correct tool fixes safely: {coverage['fixed']} of {coverage['controls']} "
          "fixed safely and correctly")
    wrong_safe = safe_mode["total"][hc.SAFE_SILENT] + safe_mode["total"][hc.SAFE_RAISES]
    wrong_unsafe = sum(unsafe_mode["total"][k] for k in hc.WRONG - {hc.INTERNAL})
    print(f"wrong safe fixes: {wrong_safe} ({safe_mode['total'][hc.SAFE_SILENT]} silent, "
          f"{safe_mode['total'][hc.SAFE_RAISES]} raise); wrong with --unsafe-fixes: {wrong_unsafe} "
          f"({unsafe_mode['total'][hc.UNSAFE_UNNAMED]} raise for a reason no note names); "
          f"internal errors: {per_program['total'][hc.INTERNAL]} programs")
    if args.list:
        print(f"  {'program':<58} {'safe mode':<20} {'unsafe mode':<20} diagnosis")
        print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
