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


def test_rule_links_reach_pages_that_exist(tmp_path, monkeypatch):
    """Rule links go to a page that exists, configured in the catalog alone: the docs site once
    it is published (the page mkdocs builds from docs/), the repository's page when its URL is
    set, and until then the page in this checkout."""
    from jaxloop_lint import catalog

    for rule in RULES:  # as shipped: not published, no repository URL -> this checkout
        assert rule.docs_url == (ROOT / rule.docs_path).as_uri()
        assert (ROOT / rule.docs_path).is_file()
    assert catalog.docs_link("index") == (ROOT / "docs" / "index.md").as_uri()

    monkeypatch.setattr(catalog, "REPOSITORY", "https://example.org/jaxloop-lint/blob/main/")
    assert catalog.BY_CODE["JXL101"].docs_url == \
        "https://example.org/jaxloop-lint/blob/main/docs/rules/JXL101.md"

    monkeypatch.setattr(catalog, "DOCS_PUBLISHED", True)
    site = tmp_path / "site"
    out = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir",
                          str(site)], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stdout + out.stderr
    for rule in RULES:
        url = rule.docs_url
        assert url.startswith(DOCS_SITE + "/")
        assert (site / url[len(DOCS_SITE) + 1:] / "index.html").is_file(), url
    assert catalog.docs_link("index") == DOCS_SITE + "/"

    monkeypatch.setattr(catalog, "DOCS_PUBLISHED", False)
    monkeypatch.setattr(catalog, "REPOSITORY", None)
    monkeypatch.setattr(catalog, "_CHECKOUT", tmp_path / "installed-from-a-wheel")
    assert catalog.BY_CODE["JXL101"].docs_url == DOCS_SITE + "/rules/JXL101/"
