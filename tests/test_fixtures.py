"""Per-rule fixtures: every `report_*.py` must produce exactly its `# expect:` markers, every
`quiet_*.py` must produce nothing at all.

Marker syntax (one comment at the end of the line where the findings start)::

    for x in xs:  # expect: JXL101@4
    outs.append(h)  # expect: JXL201@8, JXL203@8

``CODE@COL``: the rule code and the 0-based column (``ast`` col_offset) of the finding on that
line. A comment that mentions ``expect`` or a ``JXL`` code but is not a well-formed marker is an
error, so a typo can never turn a fixture into one that silently expects nothing.
"""
from __future__ import annotations

import io
import re
import tokenize
from pathlib import Path

import pytest

from jaxloop_lint import RULES, lint_source

FIXTURES = Path(__file__).parent / "fixtures"
CODES = [rule.code for rule in RULES]

Expectation = tuple[str, int, int]   # (code, line, col)

_MARKER = re.compile(r"#\s*expect:\s*(?P<body>.*?)\s*\Z")
_ITEM = re.compile(r"(?P<code>JXL\d{3})@(?P<col>\d+)\Z")
_SUSPICIOUS = re.compile(r"expect|jxl\s*\d", re.IGNORECASE)


class MarkerError(ValueError):
    """A comment looks like a marker but is not a well-formed one."""


def parse_markers(source: str, path: str = "<fixture>") -> set[Expectation]:
    """The set of (code, line, col) that the ``# expect:`` comments of ``source`` announce."""
    known = set(CODES)
    out: set[Expectation] = set()
    tokens = tokenize.generate_tokens(io.StringIO(source).readline)
    for tok in tokens:
        if tok.type != tokenize.COMMENT:
            continue
        text, line = tok.string, tok.start[0]
        if not _SUSPICIOUS.search(text):
            continue
        where = f"{path}:{line}"
        m = _MARKER.match(text)
        if not m:
            raise MarkerError(f"{where}: malformed marker comment {text!r} "
                              "(want '# expect: JXL101@4[, JXL201@8]')")
        if not m.group("body"):
            raise MarkerError(f"{where}: marker lists no findings: {text!r}")
        for item in m.group("body").split(","):
            item = item.strip()
            im = _ITEM.match(item)
            if not im:
                raise MarkerError(f"{where}: malformed marker item {item!r} in {text!r} "
                                  "(want CODE@COL, e.g. JXL101@4)")
            code, col = im.group("code"), int(im.group("col"))
            if code not in known:
                raise MarkerError(f"{where}: {code} is not a catalog code")
            key = (code, line, col)
            if key in out:
                raise MarkerError(f"{where}: duplicate marker {item}")
            out.add(key)
    return out


def _fixture_files() -> list[Path]:
    return sorted(p for p in FIXTURES.rglob("*.py"))


FILES = _fixture_files()
IDS = [str(p.relative_to(FIXTURES)) for p in FILES]


def _kind(path: Path) -> str:
    if path.name.startswith("report_"):
        return "report"
    if path.name.startswith("quiet_"):
        return "quiet"
    return "other"


def _describe(items, lines: list[str], messages: dict | None = None) -> str:
    rows = []
    for code, line, col in sorted(items, key=lambda k: (k[1], k[2], k[0])):
        text = lines[line - 1].rstrip() if 0 < line <= len(lines) else "<no such line>"
        row = f"    {code}@{line}:{col}    | {text.strip()}"
        if messages and (code, line, col) in messages:
            row += f"\n        message: {messages[code, line, col]}"
        rows.append(row)
    return "\n".join(rows)


def _compare(rel: str, source: str, expected: set[Expectation], diags) -> None:
    got = {(d.code, d.line, d.col) for d in diags}
    if got == expected:
        return
    lines = source.splitlines()
    messages = {(d.code, d.line, d.col): d.message for d in diags}
    missing, unexpected = expected - got, got - expected
    parts = [f"{rel}: findings differ from the # expect: markers"]
    if missing:
        parts.append(f"  missing ({len(missing)}): expected but not reported\n"
                     + _describe(missing, lines))
    if unexpected:
        parts.append(f"  unexpected ({len(unexpected)}): reported but not marked\n"
                     + _describe(unexpected, lines, messages))
    pytest.fail("\n".join(parts), pytrace=False)


@pytest.mark.parametrize("path", FILES, ids=IDS)
def test_fixture(path: Path) -> None:
    rel = str(path.relative_to(FIXTURES))
    source = path.read_text(encoding="utf-8")
    expected = parse_markers(source, rel)
    kind = _kind(path)
    dir_code = path.parent.name
    if kind == "quiet":
        assert not expected, f"{rel}: a quiet fixture must not carry # expect: markers"
    elif kind == "report":
        assert any(code == dir_code for code, _, _ in expected), (
            f"{rel}: a report fixture under {dir_code}/ must expect at least one {dir_code}")
    else:
        pytest.fail(f"{rel}: fixture names start with report_ or quiet_")
    diags = lint_source(source, rel)
    _compare(rel, source, expected, diags)


@pytest.mark.parametrize("path", FILES, ids=IDS)
def test_fixture_compiles(path: Path) -> None:
    compile(path.read_text(encoding="utf-8"), str(path), "exec")


# Where a finding of each code points, so a wrong column in a marker is caught here rather
# than showing up as a confusing engine mismatch.
_ANCHOR = {
    "JXL101": ("for",), "JXL102": ("for",), "JXL103": ("for",), "JXL104": ("while",),
    "JXL301": ("self.",), "JXL302": ("self.",),
}


@pytest.mark.parametrize("path", FILES, ids=IDS)
def test_markers_point_at_plausible_tokens(path: Path) -> None:
    source = path.read_text(encoding="utf-8")
    lines = source.splitlines()
    for code, line, col in parse_markers(source, path.name):
        text = lines[line - 1]
        at = text[col:]
        assert col < len(text) and not text[col].isspace(), f"{path.name}:{line}: col {col} is blank"
        assert col == 0 or not (text[col - 1].isalnum() or text[col - 1] in "_."), (
            f"{path.name}:{line}: col {col} is in the middle of a name: {at[:20]!r}")
        prefixes = _ANCHOR.get(code)
        if prefixes:
            assert at.startswith(prefixes), f"{path.name}:{line}: {code}@{col} points at {at[:20]!r}"
        elif code in ("JXL201", "JXL202", "JXL203", "JXL204"):
            assert text[col].isalpha() or text[col] == "_", (
                f"{path.name}:{line}: {code}@{col} points at {at[:20]!r}")


def test_every_code_has_enough_fixtures() -> None:
    problems = []
    for code in CODES:
        d = FIXTURES / code
        reports = sorted(d.glob("report_*.py")) if d.is_dir() else []
        quiets = sorted(d.glob("quiet_*.py")) if d.is_dir() else []
        if len(reports) < 3:
            problems.append(f"{code}: {len(reports)} report fixtures (need >= 3)")
        if len(quiets) < 3:
            problems.append(f"{code}: {len(quiets)} quiet fixtures (need >= 3)")
    for d in FIXTURES.iterdir():
        if d.is_dir() and d.name not in CODES and d.name != "__pycache__":
            problems.append(f"fixtures/{d.name}: not a catalog code")
    for p in FILES:
        if _kind(p) == "other":
            problems.append(f"{p.relative_to(FIXTURES)}: name must start with report_ or quiet_")
        if p.parent.parent != FIXTURES:
            problems.append(f"{p.relative_to(FIXTURES)}: must live directly in fixtures/<CODE>/")
    assert not problems, "\n".join(problems)


# --- the marker parser itself -------------------------------------------------------------

def test_parser_reads_markers() -> None:
    src = (
        "import jax\n"
        "for x in xs:  # expect: JXL101@0\n"
        "    outs.append(h)  #expect:JXL201@4 ,  JXL203@4\n"
        "y = 1  # a plain comment\n"
        "s = '# expect: JXL999@0 inside a string is not a comment'\n"
    )
    assert parse_markers(src) == {("JXL101", 2, 0), ("JXL201", 3, 4), ("JXL203", 3, 4)}


def test_parser_ignores_files_without_markers() -> None:
    assert parse_markers("import jax\n\n# just a note about jit\nx = 1\n") == set()


@pytest.mark.parametrize("comment", [
    "# expect JXL101@4",           # missing colon
    "# expects: JXL101@4",         # misspelled keyword
    "# expected: JXL101@4",
    "# Expect: JXL101@4",          # wrong case
    "# expect:",                   # nothing listed
    "# expect: JXL101",            # no column
    "# expect: JXL101@",           # empty column
    "# expect: JXL101@four",       # non-numeric column
    "# expect: JXL101@-1",         # negative column
    "# expect: JXL101 @4",         # stray space
    "# expect: jxl101@4",          # lower-case code
    "# expect: JXL10@4",           # short code
    "# expect: JXL999@4",          # not in the catalog
    "# expect: JXL101@4,",         # trailing comma: empty item
    "# expect: JXL101@4 JXL201@8", # missing comma
    "# expect: JXL101@4; JXL201@8",
    "# expect: JXL101@4, JXL101@4",  # duplicate
    "# JXL101@4",                  # a code without the keyword
    "# noqa: JXL101",              # not a marker, but mentions a code: refuse rather than guess
])
def test_parser_rejects_malformed_markers(comment: str) -> None:
    src = f"import jax\nfor x in xs:  {comment}\n    pass\n"
    with pytest.raises(MarkerError):
        parse_markers(src)
