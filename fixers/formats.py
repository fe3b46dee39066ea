"""Reports of the findings that remain, for people and for machines: ``--output-format``.

* ``text``: ``path:line:col: CODE message``, as flake8 prints it (with control characters in
  names and messages escaped, so no file name can forge a line; ``--show-fixes``: with each
  finding's detail indented under it).
* ``json``: one array of findings, each with its message and detail, its rule's URL, positions
  and, where it has one, its fix: safety, description and the text edit that applies it.
* ``sarif``: SARIF 2.1.0 (GitHub code scanning and other viewers), with the same fixes.
* ``github``: GitHub Actions workflow commands, which annotate the lines of a pull request
  (escaped as GitHub specifies, and control characters as in ``text``).

Every format takes the same list of ``Finding``; the CLI only picks one. Lines are 1-based
everywhere here and columns 1-based, counted in characters (Unicode code points); an end
position points just past the last character.
"""
from __future__ import annotations

import json
import os
import urllib.parse
from dataclasses import dataclass
from typing import Any, Callable, Optional, Sequence

from jaxloop_lint import Diagnostic, __version__
from jaxloop_lint.catalog import BY_CODE, RULES, docs_link

from .edits import TextEdit
from .printable import display_path, printable

FORMATS = ("text", "json", "sarif", "github")
SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"


@dataclass(frozen=True)
class Finding:
    diagnostic: Diagnostic
    edit: Optional[TextEdit] = None    # the fix as an edit (json, sarif); None: none or unknown


def render(fmt: str, findings: Sequence[Finding], details: bool = False) -> str:
    """``details``: text also prints each finding's detail, indented under it
    (``--show-fixes``); json always carries it."""
    ordered = sorted(findings, key=_order)
    return text(ordered, details) if fmt == "text" else _RENDERERS[fmt](ordered)


def _order(f: Finding) -> tuple:
    d = f.diagnostic
    return d.path, d.line, d.col, d.code


def _end(d: Diagnostic) -> tuple[int, int]:
    if d.end_line is None or d.end_col is None:
        return d.line, d.col + 1
    return d.end_line, d.end_col + 1


# ------------------------------------------------------------------------------------------
# text and github


def text(findings: Sequence[Finding], details: bool = False) -> str:
    """``path:line:col: CODE message``; the name, message and detail printable
    (``printable.py``)."""
    out = []
    for d in (f.diagnostic for f in findings):
        out.append(f"{display_path(d.path)}:{d.line}:{d.col + 1}: {d.code} "
                   f"{printable(d.message)}\n")
        if details and d.detail:
            out.extend(f"    {printable(line)}\n" for line in d.detail.splitlines())
    return "".join(out)


def github(findings: Sequence[Finding]) -> str:
    out = []
    for f in findings:
        d = f.diagnostic
        rule = BY_CODE[d.code]
        end_line, end_col = _end(d)
        props = {"file": printable(d.path), "line": d.line, "col": d.col + 1, "endLine": end_line,
                 "endColumn": end_col, "title": f"{d.code} ({rule.name})"}
        fields = ",".join(f"{k}={_escape(str(v), prop=True)}" for k, v in props.items())
        out.append(f"::{rule.severity} {fields}::{_escape(printable(d.message))} "
                   f"({rule.docs_url})\n")
    return "".join(out)


def _escape(value: str, prop: bool = False) -> str:
    """GitHub's workflow-command escaping (data; property values also escape ``:`` and ``,``)."""
    value = value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    if prop:
        value = value.replace(":", "%3A").replace(",", "%2C")
    return value


# ------------------------------------------------------------------------------------------
# json


def _position(line: int, col0: int) -> dict[str, int]:
    return {"line": line, "column": col0 + 1}


def _json_edit(edit: TextEdit) -> dict[str, Any]:
    return {"start": _position(*edit.start), "end": _position(*edit.end),
            "content": edit.new_text}


def json_report(findings: Sequence[Finding]) -> str:
    items = []
    for f in findings:
        d = f.diagnostic
        rule = BY_CODE[d.code]
        end_line, end_col = _end(d)
        fix = None
        if d.fix is not None:
            fix = {"applicability": d.fix.applicability.value, "description": d.fix.description,
                   "edits": [_json_edit(f.edit)] if f.edit is not None else []}
        items.append({
            "code": d.code, "name": rule.name, "severity": rule.severity,
            "message": d.message, "detail": d.detail, "url": rule.docs_url, "path": d.path,
            "start": {"line": d.line, "column": d.col + 1},
            "end": {"line": end_line, "column": end_col},
            "fix": fix,
        })
    return json.dumps(items, indent=2, ensure_ascii=False) + "\n"


# ------------------------------------------------------------------------------------------
# sarif


def _uri(path: str) -> str:
    if os.path.isabs(path):
        return "file://" + urllib.parse.quote(path.replace(os.sep, "/"))
    path = path.replace(os.sep, "/")
    return urllib.parse.quote(path[2:] if path.startswith("./") else path)


def _region(start: tuple[int, int], end: tuple[int, int]) -> dict[str, int]:
    """(line, 0-based col) pairs -> a SARIF region (1-based columns, end exclusive)."""
    return {"startLine": start[0], "startColumn": start[1] + 1,
            "endLine": end[0], "endColumn": end[1] + 1}


def sarif(findings: Sequence[Finding]) -> str:
    index = {rule.code: i for i, rule in enumerate(RULES)}
    rules = [{
        "id": rule.code, "name": rule.name,
        "shortDescription": {"text": rule.summary},
        "helpUri": rule.docs_url,
        "defaultConfiguration": {"level": rule.severity},
        "properties": {"fix": rule.fix.value if rule.fix is not None else "none"},
    } for rule in RULES]
    results = []
    for f in findings:
        d = f.diagnostic
        artifact = {"uri": _uri(d.path)}
        end_line, end_col = _end(d)
        result: dict[str, Any] = {
            "ruleId": d.code, "ruleIndex": index[d.code],
            "level": BY_CODE[d.code].severity,
            "message": {"text": d.message},
            "locations": [{"physicalLocation": {
                "artifactLocation": artifact,
                "region": _region((d.line, d.col), (end_line, end_col - 1))}}],
        }
        if d.fix is not None:
            result["properties"] = {"fixApplicability": d.fix.applicability.value}
            if f.edit is not None:
                result["fixes"] = [{
                    "description": {"text": f"{d.fix.description} "
                                            f"({d.fix.applicability.value})"},
                    "artifactChanges": [{"artifactLocation": artifact, "replacements": [{
                        "deletedRegion": _region(f.edit.start, f.edit.end),
                        "insertedContent": {"text": f.edit.new_text}}]}],
                }]
        results.append(result)
    log = {
        "$schema": SARIF_SCHEMA, "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {"name": "jaxloop-lint", "version": __version__,
                                "informationUri": docs_link("index"), "rules": rules}},
            "columnKind": "unicodeCodePoints",
            "results": results,
        }],
    }
    return json.dumps(log, indent=2, ensure_ascii=False) + "\n"


_RENDERERS: dict[str, Callable[[Sequence[Finding]], str]] = {
    "text": text, "json": json_report, "sarif": sarif, "github": github,
}
