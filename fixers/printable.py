"""Names and text that come from the tree under review, made safe to print.

A file name may hold a newline (a forged second line, a fake ``::error`` workflow command in
GitHub Actions) or an ANSI escape (a rewritten terminal); a message may quote a string from the
code. Every character that is not printable is shown as its Python escape (``\\n``, ``\\x1b``,
``\\u2028``), and a name that would start a line with ``:`` gets ``./`` in front.
"""
from __future__ import annotations

_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def printable(text: str) -> str:
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() else _escape(c) for c in text)


def _escape(c: str) -> str:
    if c in _NAMED:
        return _NAMED[c]
    code = ord(c)
    if code < 0x100:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


def display_path(path: str) -> str:
    """``path`` as printed at the start of a line."""
    shown = printable(path)
    return "./" + shown if shown.startswith(":") else shown
