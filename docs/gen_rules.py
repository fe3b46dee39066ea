"""Regenerate the rule tables in docs/rules/index.md from the catalog (jaxloop_lint/catalog.py),
so the docs cannot drift from the rules: ``python docs/gen_rules.py`` rewrites them, ``--check``
exits 1 when the committed page differs (tests/test_docs.py runs it). Only the text between the
``<!-- rules:JXLn -->`` and ``<!-- /rules -->`` markers is generated; the prose around the tables
and each rule's own page are written by hand."""
from __future__ import annotations

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from jaxloop_lint.catalog import RULES  # noqa: E402

INDEX = ROOT / "docs" / "rules" / "index.md"
BLOCK = re.compile(r"(<!-- rules:(?P<prefix>JXL\d) -->\n).*?(<!-- /rules -->)", re.S)


def table(prefix: str) -> str:
    rows = ["| code | name | summary | fix | severity |", "|---|---|---|---|---|"]
    for rule in RULES:
        if rule.code.startswith(prefix):
            fix = rule.fix.value if rule.fix is not None else "none"
            rows.append(f"| [{rule.code}]({rule.code}.md) | {rule.name} | {rule.summary} "
                        f"| {fix} | {rule.severity} |")
    return "\n".join(rows) + "\n"


def generate(text: str) -> str:
    return BLOCK.sub(lambda m: m.group(1) + table(m.group("prefix")) + m.group(3), text)


def main(argv: list[str]) -> int:
    current = INDEX.read_text(encoding="utf-8")
    wanted = generate(current)
    covered = {m.group("prefix") for m in BLOCK.finditer(current)}
    missing = sorted({r.code[:4] for r in RULES} - covered)
    if missing:
        print(f"{INDEX}: no table for {', '.join(missing)}: add <!-- rules:{missing[0]} -->"
              " ... <!-- /rules -->", file=sys.stderr)
        return 1
    if "--check" in argv:
        if wanted != current:
            print(f"{INDEX} is out of date: run python docs/gen_rules.py", file=sys.stderr)
            return 1
        return 0
    INDEX.write_text(wanted, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
