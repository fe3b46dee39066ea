"""The closing summary's text: findings per code, refusals by reason, files, time, totals.

Built from the run's counts only; the command line decides where it goes.
"""
from __future__ import annotations

from collections import Counter
from typing import Sequence

from jaxloop_lint.catalog import BY_CODE
from jaxloop_lint.diagnostics import Diagnostic

REFUSAL = "; no automatic fix: "


def plural(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def refusal_reason(d: Diagnostic) -> str:
    """The reason the analysis gave for offering no fix, or "" if it offers one."""
    return d.message.split(REFUSAL, 1)[1] if REFUSAL in d.message else ""


def breakdown(findings: Sequence[Diagnostic]) -> list[str]:
    """Findings per code, then the refused ones by reason (most frequent first)."""
    lines = []
    by_code = Counter(d.code for d in findings)
    if by_code:
        lines.append("findings by code:")
        for code in sorted(by_code):
            name = BY_CODE[code].name if code in BY_CODE else ""
            lines.append(f"  {code} {by_code[code]:>6}  {name}".rstrip())
    reasons = Counter(r for r in map(refusal_reason, findings) if r)
    if reasons:
        lines.append("no automatic fix:")
        for reason, n in sorted(reasons.items(), key=lambda item: (-item[1], item[0])):
            lines.append(f"  {n:>6}  {reason}")
    return lines


def files_line(files: int, cached: int, seconds: float) -> str:
    line = f"{plural(files, 'file')} in {seconds:.2f} s"
    if cached:
        line += f" ({cached} from the cache)"
    return line
