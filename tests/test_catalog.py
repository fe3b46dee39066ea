"""The catalog is the single source of truth: every code has one implementation and one page."""
from __future__ import annotations

import re
from pathlib import Path

from jaxloop_lint import RULES, rules

ROOT = Path(__file__).resolve().parents[1]


def test_every_code_has_exactly_one_check():
    assert set(rules.CHECKS) == {r.code for r in RULES}


def test_codes_are_unique_and_well_formed():
    codes = [r.code for r in RULES]
    assert len(codes) == len(set(codes))
    assert all(re.fullmatch(r"JXL[1-9]\d\d", c) for c in codes)
    assert len({r.name for r in RULES}) == len(RULES)


def test_no_code_is_defined_outside_the_catalog():
    """Rule modules name codes only through @rule / Finding; nothing invents a new one."""
    known = {r.code for r in RULES}
    for path in (ROOT / "jaxloop_lint").rglob("*.py"):
        found = set(re.findall(r"\bJXL\d{3}\b", path.read_text()))
        assert found <= known, f"{path}: {sorted(found - known)}"


def test_every_code_has_a_docs_page_with_the_sections():
    sections = ["## What it does", "## Why is this bad?", "## Example", "## Use instead",
                "## Fix safety", "## When it stays quiet"]
    for rule in RULES:
        page = ROOT / "docs" / "rules" / f"{rule.code}.md"
        assert page.is_file(), f"missing {page}"
        text = page.read_text()
        assert text.startswith(f"# {rule.code}"), page
        for section in sections:
            assert section in text, f"{page}: no '{section}'"
        assert (ROOT / rule.docs_path) == page
        assert rule.docs_url.endswith((f"/rules/{rule.code}/", f"/rules/{rule.code}.md"))
