"""The long fuzzing campaign: generated programs through lint and fix, with the checks of
tests/test_fuzz.py (tests/fuzzcheck.py).

    .venv/bin/python benchmarks/fuzz.py --n 10000            # half hypothesmith, half JAX loops
    .venv/bin/python benchmarks/fuzz.py --n 2000 --only loops --workers 2 --out /tmp/fuzz-fail
    .venv/bin/python benchmarks/fuzz.py --n 300 --only loops --hazards    # issue 12's campaign

Two strategies: ``python`` (hypothesmith's arbitrary valid Python, prefixed with ``import jax``;
lint + fix, safe and unsafe) and ``loops`` (tests/loopgen.py's runnable JAX loop programs; lint +
fix with unsafe fixes, and every fixed program is run under jit against the original under
``jax.disable_jit()``). Prints the counts; every failing program is saved to ``--out`` with its
fixed text and the reason, for triage. Programs are reproducible: ``loops-<seed>`` is
``loopgen.from_seed(seed)``.

``--hazards`` (off by default, so the plain campaign's figures stay comparable): every loop
program also carries one or two of tests/loophazards.py's hazards (``loopgen.from_seed(seed,
hazards=True)``), is fixed in safe mode and with unsafe fixes, and each fixed program is judged
strictly (fuzzcheck ``strict=True``: weak types always, gradients where asked, an unsafe fix
may raise only for a reason its note names). Failures are also counted by verdict and hazard.
"""
from __future__ import annotations

import argparse
import collections
import hashlib
import multiprocessing
import os
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "tests"), str(ROOT)]
import fuzzcheck  # noqa: E402  (imports no jax: the main process only counts)
CHUNK = {"python": 100, "loops": 25}


def _init_worker() -> None:
    # Two workers share two cores: one XLA thread each.
    os.environ.setdefault("JAX_PLATFORMS", "cpu")
    os.environ["XLA_FLAGS"] = (os.environ.get("XLA_FLAGS", "") +
                               " --xla_cpu_multi_thread_eigen=false intra_op_parallelism_threads=1")
    import warnings
    warnings.simplefilter("ignore")  # SyntaxWarnings from generated code, jax deprecations


def _reason_kind(reason: str) -> str:
    """A refusal reason without the user's names, so equal reasons count together."""
    return re.sub(r"`[A-Za-z_][A-Za-z_0-9]*`", "`_`", reason)


class Tally:
    def __init__(self):
        self.programs = 0
        self.counts: collections.Counter = collections.Counter()
        self.refusals: collections.Counter = collections.Counter()
        self.rejected: collections.Counter = collections.Counter()
        self.hashes: set[str] = set()
        self.failures: list[tuple[str, str, str, str, str]] = []  # id, kind, source, fixed, detail
        self.verdicts: collections.Counter = collections.Counter()  # (mode, verdict): --hazards
        self.by_hazard: collections.Counter = collections.Counter()  # (verdict, hazard) failures

    def add(self, ident: str, source: str, *outcomes) -> None:
        self.programs += 1
        self.hashes.add(hashlib.sha1(source.encode()).hexdigest())
        first = outcomes[0]
        if first.rejected:
            self.rejected[re.sub(r"\d+", "N", first.rejected)] += 1
        for r in first.refusals:
            self.refusals[_reason_kind(r)] += 1
        if first.findings:
            self.counts["with findings"] += 1
        if any(o.applied for o in outcomes):
            self.counts["fix applied"] += 1
        if any(o.detail == "eager" for o in outcomes):
            self.counts["partly fixed, compared eagerly"] += 1
        if any(o.detail == fuzzcheck.PYTHON_SCALAR for o in outcomes):
            self.counts[fuzzcheck.PYTHON_SCALAR] += 1
        for o in outcomes:
            if not o.ok:
                self.counts[o.failure] += 1
                self.failures.append((ident, o.failure, source, o.fixed or first.fixed or "",
                                      o.detail))
                break

    def add_verdicts(self, mode: str, outcome, hazards: tuple[str, ...]) -> None:
        self.verdicts[(mode, outcome.verdict)] += 1
        if not outcome.ok:
            for hazard in hazards or ("(none)",):
                self.by_hazard[(f"{mode}: {outcome.verdict}", hazard)] += 1

    def merge(self, other: "Tally") -> None:
        self.programs += other.programs
        self.counts.update(other.counts)
        self.refusals.update(other.refusals)
        self.rejected.update(other.rejected)
        self.hashes |= other.hashes
        self.failures += other.failures
        self.verdicts.update(other.verdicts)
        self.by_hazard.update(other.by_hazard)


def run_loops(first: int, count: int, hazards: bool = False) -> Tally:
    import loopgen

    tally = Tally()
    for seed in range(first, first + count):
        program = loopgen.from_seed(seed, hazards)
        outcomes = (_hazard_outcomes(program, tally) if hazards
                    else _plain_outcomes(program))
        tally.add(f"loops-{seed}", program.source, *outcomes)
    return tally


def _plain_outcomes(program) -> list:
    static = fuzzcheck.check_static(program.source, unsafe=True)
    outcomes = [static]
    if static.ok and static.applied:
        outcomes.append(fuzzcheck.check_runs(program, static.fixed))
    return outcomes


def _hazard_outcomes(program, tally: Tally) -> list:
    """Safe mode, then unsafe fixes (when they change the text), each fixed program judged
    strictly; the verdicts are tallied by mode and by the program's hazards."""
    import loophazards

    hazards = tuple(f for f in program.features if f in loophazards.NAMES)
    outcomes, fixed_before = [], None
    for mode, unsafe in (("safe", False), ("unsafe", True)):
        static = fuzzcheck.check_static(program.source, unsafe=unsafe)
        outcomes.append(static)
        if not static.ok or not static.applied or static.fixed == fixed_before:
            continue
        fixed_before = static.fixed
        ran = fuzzcheck.check_runs(program, static.fixed, strict=True, notes=static.notes)
        ran.fixed = static.fixed
        if ran.verdict is not None:
            tally.add_verdicts(mode, ran, hazards)
        outcomes.append(ran)
    return outcomes


def run_python(seed: int, count: int) -> Tally:
    import hypothesmith
    from hypothesis import HealthCheck, Phase, given, settings
    from hypothesis import seed as hseed

    tally = Tally()

    @hseed(seed)
    @settings(max_examples=count, phases=[Phase.generate], database=None, deadline=None,
              suppress_health_check=list(HealthCheck))
    @given(hypothesmith.from_grammar())
    def one(code):
        if tally.programs >= count:
            return
        source = fuzzcheck.jax_module(code)
        tally.add(f"python-{seed}-{tally.programs}", source,
                  fuzzcheck.check_static(source, unsafe=False),
                  fuzzcheck.check_static(source, unsafe=True))

    one()
    return tally


def _task(job: tuple[str, int, int, bool]) -> Tally:
    strategy, start, count, hazards = job
    return run_loops(start, count, hazards) if strategy == "loops" else run_python(start, count)


def jobs(strategy: str, n: int, seed: int,
         hazards: bool = False) -> list[tuple[str, int, int, bool]]:
    size = CHUNK[strategy]
    out = []
    for k, start in enumerate(range(0, n, size)):
        count = min(size, n - start)
        # loops: consecutive program seeds; python: one Hypothesis seed per chunk
        out.append((strategy, seed + start if strategy == "loops" else seed * 100_003 + k, count,
                    hazards))
    return out


def save_failures(tally: Tally, out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    for ident, kind, source, fixed, detail in tally.failures:
        (out / f"{ident}.py").write_text(source)
        if fixed:
            (out / f"{ident}.fixed.py").write_text(fixed)
        (out / f"{ident}.txt").write_text(f"{kind}\n{detail}\n")


def report(name: str, tally: Tally, seconds: float) -> None:
    print(f"== {name}: {tally.programs} programs ({len(tally.hashes)} distinct) in "
          f"{seconds:.0f} s")
    for kind, label in fuzzcheck.FAILURES.items():
        print(f"  {label:<36} {tally.counts[kind]}")
    print(f"  {'programs with findings':<36} {tally.counts['with findings']}")
    print(f"  {'programs with a fix applied':<36} {tally.counts['fix applied']}")
    if tally.counts["partly fixed, compared eagerly"]:
        print(f"  {'  of which compared eagerly':<36} {tally.counts['partly fixed, compared eagerly']}"
              "   (a loop left alone raises under jit, as before)")
    if tally.counts[fuzzcheck.PYTHON_SCALAR]:
        print(f"  {'  of which weak_type not compared':<36} {tally.counts[fuzzcheck.PYTHON_SCALAR]}"
              "   (a Python float carry no step updated)")
    if tally.rejected:
        print(f"  {'rejected by the core (SourceError)':<36} {sum(tally.rejected.values())}")
        for reason, n in tally.rejected.most_common():
            print(f"    {n:6d}  {reason}")
    if tally.verdicts:
        print("  fixed programs by verdict (tests/verdicts.py):")
        for (mode, verdict), n in sorted(tally.verdicts.items()):
            print(f"    {n:6d}  {mode:<7} {verdict}")
    if tally.by_hazard:
        print("  failures by verdict and hazard (a program with two hazards counts for both):")
        for (verdict, hazard), n in sorted(tally.by_hazard.items(), key=lambda kv: (-kv[1], kv[0])):
            print(f"    {n:6d}  {verdict:<30} {hazard}")
    if tally.refusals:
        print(f"  refusals by reason ({sum(tally.refusals.values())}):")
        for reason, n in tally.refusals.most_common():
            print(f"    {n:6d}  {reason}")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=1000, help="programs in all (split evenly)")
    parser.add_argument("--only", choices=("python", "loops"), help="one strategy only")
    parser.add_argument("--workers", type=int, default=min(2, os.cpu_count() or 1))
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", type=Path, default=Path("/tmp/jaxloop-fuzz-failures"))
    parser.add_argument("--hazards", action="store_true",
                        help="loop programs carry issue 12's hazards; judge safe and unsafe fixes "
                             "strictly")
    args = parser.parse_args(argv)

    strategies = [args.only] if args.only else ["python", "loops"]
    per = {s: args.n // len(strategies) + (i < args.n % len(strategies))
           for i, s in enumerate(strategies)}
    failed = 0
    total = Tally()
    ctx = multiprocessing.get_context("spawn")  # no fork after jax is imported
    for strategy in strategies:
        start = time.perf_counter()
        tally = Tally()
        with ctx.Pool(args.workers, initializer=_init_worker, maxtasksperchild=8) as pool:
            for part in pool.imap_unordered(_task, jobs(strategy, per[strategy], args.seed,
                                                        args.hazards)):
                tally.merge(part)
        report(strategy, tally, time.perf_counter() - start)
        save_failures(tally, args.out)
        failed += len(tally.failures)
        total.merge(tally)
    print(f"== total: {total.programs} programs, {failed} failures"
          + (f" (saved to {args.out})" if failed else ""))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
