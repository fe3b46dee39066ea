"""``CASE = dict(...)`` at the end of a test module (tests/golden/, tests/hazards/): its literal
keys, read with ast, so that collecting tests imports none of them."""
from __future__ import annotations

import ast
from pathlib import Path


def static_case(path: Path) -> dict:
    """The literal keys of ``CASE = dict(...)``; keys that are not literals (``args=_args``)
    are left out."""
    for node in ast.parse(path.read_text()).body:
        targets = [getattr(t, "id", None) for t in getattr(node, "targets", ())]
        if targets == ["CASE"] and isinstance(node.value, ast.Call):
            out = {}
            for kw in node.value.keywords:
                try:
                    out[kw.arg] = ast.literal_eval(kw.value)
                except ValueError:
                    pass  # args=lambda ...
            return out
    raise AssertionError(f"{path.name} has no CASE = dict(...)")
