"""Regenerate the parts of the docs that come from the catalog (jaxloop_lint/catalog.py), so they
cannot drift from the rules: ``python docs/gen_rules.py`` rewrites them, ``--check`` exits 1 when
a committed page differs (tests/test_docs.py runs it). Generated: the rule tables in
docs/rules/index.md (between ``<!-- rules:JXLn -->`` and ``<!-- /rules -->``) and each rule
page's "Message" section (between ``<!-- message -->`` and ``<!-- /message -->``, placed before
"Why is this bad?" when missing). Everything else is written by hand."""
from __future__ import annotations

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from jaxloop_lint.catalog import RULES  # noqa: E402

INDEX = ROOT / "docs" / "rules" / "index.md"
BLOCK = re.compile(r"(<!-- rules:(?P<prefix>JXL\d) -->\n).*?(<!-- /rules -->)", re.S)
MESSAGE = re.compile(r"<!-- message -->\n.*?<!-- /message -->\n", re.S)
FIELD = re.compile(r"\{(\w+)\}")


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


def _template(text: str) -> str:
    return FIELD.sub(lambda m: f"<{m.group(1)}>", text)


def message_section(rule) -> str:
    """What a finding of ``rule`` says: its one line, and the detail shown on request."""
    detail = _template(rule.detail).replace("<assumed>", "").replace("  ", " ")
    ending = ("`; no automatic fix: <reason>`" if rule.fix is None else
              "`; fix: <what the fix writes> (safe)` (or `(unsafe: <reason>)`), or by "
              "`; no automatic fix: <reason>`")
    return (
        "<!-- message -->\n## Message\n\n"
        "flake8 and `jaxloop-fix` print one line: what the code does and what happens,\n\n"
        f"```\n{rule.code} {_template(rule.message)}\n```\n\n"
        f"followed by {ending}, with the short form of each reason. `jaxloop-fix "
        "--show-fixes`, the JSON report and the editor's hover add the detail and the whole "
        "reasons:\n\n"
        f"> {detail}\n"
        "<!-- /message -->\n")


def generate_page(text: str, rule) -> str:
    section = message_section(rule)
    if MESSAGE.search(text):
        return MESSAGE.sub(lambda m: section, text, count=1)
    return text.replace("## Why is this bad?", section + "\n## Why is this bad?", 1)


def main(argv: list[str]) -> int:
    status = 0
    for rule in RULES:
        page = ROOT / rule.docs_path
        current = page.read_text(encoding="utf-8")
        wanted = generate_page(current, rule)
        if wanted != current:
            if "--check" in argv:
                print(f"{page} is out of date: run python docs/gen_rules.py", file=sys.stderr)
                status = 1
            else:
                page.write_text(wanted, encoding="utf-8")
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
        return status
    INDEX.write_text(wanted, encoding="utf-8")
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
