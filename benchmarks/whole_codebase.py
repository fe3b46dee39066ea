"""Run ``jaxloop-fix --unsafe-fixes`` over a copy of whole codebases and check nothing is lost.

    .venv/bin/python benchmarks/whole_codebase.py /tmp/corpus/google+flax /tmp/corpus/jax-ml+jax \\
        --work /tmp/jaxloop-corpus

Each SRC directory is copied afresh under ``--work`` (the originals are never touched). Then:

1. hash every file; ``jaxloop-fix --unsafe-fixes --show-fixes WORK``;
2. count "internal error" lines (crashes) and the other file errors by reason;
3. every ``.py`` file that parsed before still parses;
4. every file the fixer did not report as fixed is byte-identical (so are all non-``.py`` files);
5. a second run fixes nothing and changes no byte.

Prints the figures; exits 1 if any check fails.
"""
from __future__ import annotations

import argparse
import ast
import collections
import hashlib
import re
import shutil
import subprocess
import sys
import time
import warnings
from pathlib import Path

FIXED = re.compile(r"^(.*?):\d+:\d+: JXL\d+ \[fixed\] ")
ERROR = re.compile(r"^(.*?): error: (.*)$")


def hashes(root: Path) -> dict[Path, str]:
    return {p: hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file() and not p.is_symlink()}


def parses(path: Path) -> bool:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            ast.parse(path.read_bytes())
        return True
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return False


def run_fix(work: Path) -> tuple[subprocess.CompletedProcess, float]:
    exe = Path(sys.executable).parent / "jaxloop-fix"
    start = time.perf_counter()
    proc = subprocess.run([str(exe), "--unsafe-fixes", "--show-fixes", str(work)],
                          capture_output=True, text=True)
    return proc, time.perf_counter() - start


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("sources", nargs="+", type=Path)
    parser.add_argument("--work", type=Path, default=Path("/tmp/jaxloop-corpus"))
    args = parser.parse_args(argv)

    if args.work.exists():
        shutil.rmtree(args.work)
    args.work.mkdir(parents=True)
    for src in args.sources:
        shutil.copytree(src, args.work / src.name, symlinks=True)

    before = hashes(args.work)
    py = [p for p in before if p.suffix == ".py"]
    lines = sum(p.read_bytes().count(b"\n") for p in py)
    parsed_before = {p for p in py if parses(p)}
    print(f"corpus: {', '.join(s.name for s in args.sources)}: {len(py)} .py files, "
          f"{lines} lines ({len(py) - len(parsed_before)} do not parse with this Python)")

    proc, seconds = run_fix(args.work)
    fixed_files = {Path(m[1]) for m in map(FIXED.match, proc.stdout.splitlines()) if m}
    n_fixes = sum(1 for line in proc.stdout.splitlines() if FIXED.match(line))
    errors = [m for m in map(ERROR.match, proc.stderr.splitlines()) if m]
    crashes = [m[0] for m in errors if m[2].startswith("internal error")]
    reasons = collections.Counter(re.sub(r"line \d+", "line N", m[2]) for m in errors
                                  if not m[2].startswith("internal error"))
    summary = proc.stderr.strip().splitlines()[-1] if proc.stderr.strip() else ""
    print(f"run 1: exit {proc.returncode} in {seconds:.0f} s; summary: {summary}")
    print(f"  fixes applied: {n_fixes} in {len(fixed_files)} files")
    print(f"  crashes (internal error lines): {len(crashes)}")
    for line in crashes[:20]:
        print(f"    {line}")
    print(f"  other file errors: {sum(reasons.values())}")
    for reason, n in reasons.most_common(10):
        print(f"    {n:5d}  {reason}")

    after = hashes(args.work)
    changed = {p for p in before if after.get(p) != before[p]}
    added = set(after) - set(before)
    unexpected = sorted(p for p in changed if p not in fixed_files)
    broken = sorted(p for p in parsed_before if not parses(p))
    print(f"  files changed: {len(changed)}; changed without a reported fix: {len(unexpected)}; "
          f"files added: {len(added)}")
    print(f"  files that parsed before and do not now: {len(broken)}")
    for p in (unexpected + broken + sorted(added))[:20]:
        print(f"    {p}")

    proc2, seconds2 = run_fix(args.work)
    again = hashes(args.work)
    changed2 = sorted(p for p in after if again.get(p) != after[p])
    n_fixes2 = sum(1 for line in proc2.stdout.splitlines() if FIXED.match(line))
    crashes2 = [line for line in proc2.stderr.splitlines() if ": error: internal error" in line]
    print(f"run 2: exit {proc2.returncode} in {seconds2:.0f} s; fixes applied: {n_fixes2}; "
          f"files changed: {len(changed2)}; crashes: {len(crashes2)}")
    for p in changed2[:20]:
        print(f"    {p}")

    ok = not (crashes or unexpected or broken or added or changed2 or n_fixes2 or crashes2)
    print("OK" if ok else "FAILED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
