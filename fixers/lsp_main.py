"""``jaxloop-lsp``'s entry point: says how to install the server when pygls is missing."""
from __future__ import annotations

import sys


def main() -> int:
    try:
        from .lsp import main as serve
    except ImportError as exc:
        sys.stderr.write(f"jaxloop-lsp: error: {exc}; the editor server needs the `lsp` extra: "
                         "pip install 'jaxloop-lint[lsp]'\n")
        return 2
    serve()
    return 0
