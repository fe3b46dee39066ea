"""Turn the plans the analysis computed into code. A renderer never decides whether a rewrite
is safe: it renders the plan it is given, or nothing."""
from __future__ import annotations


def render_fixes(source, diagnostics):
    """Return (new source, diagnostics whose fix was applied)."""
    return source, []
