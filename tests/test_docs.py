"""The docs site: the rule tables match the catalog, every rule has a page in the nav, the site's
URL is the one the rule links use, and ``mkdocs build --strict`` passes (no broken link)."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import yaml

from jaxloop_lint.catalog import DOCS_SITE, RULES

ROOT = Path(__file__).resolve().parent.parent


def test_rule_tables_are_generated_from_the_catalog():
    out = subprocess.run([sys.executable, "docs/gen_rules.py", "--check"], cwd=ROOT,
                         capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    index = (ROOT / "docs" / "rules" / "index.md").read_text()
    for rule in RULES:
        assert f"| [{rule.code}]({rule.code}.md) | {rule.name} | {rule.summary} |" in index


def test_gen_rules_notices_drift(tmp_path):
    sys.path.insert(0, str(ROOT / "docs"))
    try:
        import gen_rules
    finally:
        sys.path.pop(0)
    index = (ROOT / "docs" / "rules" / "index.md").read_text()
    stale = index.replace("| for-over-traced-array |", "| old-name |")
    assert gen_rules.generate(stale) == index


def test_mkdocs_config_matches_the_catalog():
    config = yaml.safe_load((ROOT / "mkdocs.yml").read_text())
    assert config["site_url"] == DOCS_SITE + "/"
    assert config["strict"] is True
    rules_nav = next(item["Rules"] for item in config["nav"] if "Rules" in item)
    assert rules_nav == ["rules/index.md"] + [f"rules/{r.code}.md" for r in RULES]


def test_mkdocs_build_strict(tmp_path):
    out = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir",
                          str(tmp_path / "site")], cwd=ROOT, capture_output=True, text=True,
                         timeout=300)
    assert out.returncode == 0, out.stdout + out.stderr
    page = (tmp_path / "site" / "rules" / "JXL101" / "index.html").read_text()
    assert "for-over-traced-array" in page
    assert (tmp_path / "site" / "integrations" / "index.html").is_file()
