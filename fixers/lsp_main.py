"""``jaxloop-lsp``'s entry point: ``--help`` and ``--version`` answer without starting the server
(which would wait on stdin), and a missing pygls gets the command that installs it."""
from __future__ import annotations

import argparse
import sys
from typing import Optional, Sequence

from jaxloop_lint import __version__

DESCRIPTION = """\
The jaxloop-lint editor server: the Language Server Protocol on stdin / stdout. An editor
starts it; it publishes the JXL findings of the open Python files as you type and offers
their fixes as code actions (source.fixAll.jaxloop fixes every safe one). Settings come from
[tool.jaxloop] in the pyproject.toml above each file."""

EPILOG = """\
exit codes:
  0  the editor sent shutdown, then exit
  1  exit without shutdown, or the end of stdin without it
  2  the server cannot start (pygls is missing: pip install 'jaxloop-lint[lsp]')"""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="jaxloop-lsp", description=DESCRIPTION, epilog=EPILOG,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--version", action="version", version=f"jaxloop-lsp {__version__}")
    parser.add_argument("--stdio", action="store_true",
                        help="serve on stdin / stdout (the default and only transport; "
                             "accepted because editors pass it)")
    return parser


def main(argv: Optional[Sequence[str]] = None) -> int:
    build_parser().parse_args(argv)
    try:
        from .lsp import main as serve
    except ImportError as exc:
        sys.stderr.write(f"jaxloop-lsp: error: {exc}; the editor server needs the `lsp` extra: "
                         "pip install 'jaxloop-lint[lsp]'\n")
        return 2
    return serve()
