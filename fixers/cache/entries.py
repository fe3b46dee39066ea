"""An entry's JSON: a ``FileResult`` out, and every field checked on the way back in."""
from __future__ import annotations

from typing import Optional

from jaxloop_lint import Applicability, Diagnostic, Fix
from jaxloop_lint.catalog import BY_CODE

from ..runner import FileResult


def _dump_diag(d: Diagnostic) -> list:
    fix = None if d.fix is None else [d.fix.applicability.value, d.fix.description]
    return [d.code, d.line, d.col, d.message, d.end_line, d.end_col, fix, d.detail]


def _int(value, minimum: int = 0) -> int:
    if type(value) is not int or value < minimum:
        raise ValueError("not a position")
    return value


def _opt_int(value) -> Optional[int]:
    return None if value is None else _int(value)


def _str(value) -> str:
    if type(value) is not str:
        raise TypeError("not a string")
    return value


def _load_diag(row: list, path: str) -> Diagnostic:
    if type(row) is not list or len(row) != 8:
        raise ValueError("not a finding")
    code, line, col, message, end_line, end_col, fix, detail = row
    if _str(code) not in BY_CODE:
        raise ValueError("not a rule code")
    if fix is not None:
        if type(fix) is not list or len(fix) != 2:
            raise ValueError("not a fix")
        fix = Fix(Applicability(_str(fix[0])), _str(fix[1]))
    return Diagnostic(code, _int(line, 1), _int(col), _str(message), path, _opt_int(end_line),
                      _opt_int(end_col), fix, _str(detail))


def dump(result: FileResult) -> dict:
    return {"remaining": [_dump_diag(d) for d in result.remaining],
            "applied": [_dump_diag(d) for d in result.applied],
            "diff": result.diff, "error": result.error,
            "edits": [None if e is None else [list(e.start), list(e.end), e.new_text]
                      for e in result.edits]}


def _position(value) -> tuple[int, int]:
    if type(value) is not list or len(value) != 2:
        raise ValueError("not a position")
    return _int(value[0], 1), _int(value[1])


def load(entry: dict, path: str) -> FileResult:
    if type(entry) is not dict or set(entry) != {"remaining", "applied", "diff", "error",
                                                 "edits"}:
        raise ValueError("not an entry")
    if type(entry["remaining"]) is not list or type(entry["applied"]) is not list \
            or type(entry["edits"]) is not list:
        raise ValueError("not an entry")
    remaining = [_load_diag(r, path) for r in entry["remaining"]]
    edits = []
    if entry["edits"]:
        from ..edits import TextEdit
        if len(entry["edits"]) != len(remaining):
            raise ValueError("edits do not match the findings")
        for e in entry["edits"]:
            if e is None:
                edits.append(None)
            elif type(e) is list and len(e) == 3:
                edits.append(TextEdit(_position(e[0]), _position(e[1]), _str(e[2])))
            else:
                raise ValueError("not an edit")
    error = entry["error"]
    return FileResult(path, remaining, [_load_diag(r, path) for r in entry["applied"]],
                      _str(entry["diff"]), None if error is None else _str(error), edits=edits,
                      cached=True)
