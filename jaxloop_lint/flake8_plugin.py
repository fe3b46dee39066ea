"""flake8 adapter: hands flake8's tree to the core and yields its findings.

flake8 applies ``# noqa``, ``--select``, ``--extend-ignore`` and ``per-file-ignores`` itself, and
reports E999 for files that do not parse (it never calls the plugin for them).
"""
from __future__ import annotations

import ast
from typing import Iterator, Sequence

from . import __version__
from .config import Config
from .core import SourceError, lint_tree, might_use_jax


class JaxLoopChecker:
    name = "jaxloop-lint"
    version = __version__
    config = Config()

    def __init__(self, tree: ast.Module, lines: Sequence[str], filename: str = "<string>"):
        self.tree = tree
        self.lines = lines
        self.filename = filename

    @classmethod
    def add_options(cls, manager) -> None:
        manager.add_option(
            "--jaxloop-extra-jit-decorators", default="", parse_from_config=True,
            comma_separated_list=True,
            help="Your project's own jit-like decorators (qualified or local names), "
                 "e.g. mypkg.utils.my_jit. Their functions are treated like jax.jit's.")

    @classmethod
    def parse_options(cls, options) -> None:
        extra = getattr(options, "jaxloop_extra_jit_decorators", None) or ()
        cls.config = Config(extra_jit_decorators=tuple(e.strip() for e in extra if e.strip()))

    def run(self) -> Iterator[tuple[int, int, str, type]]:
        # Files that never mention jax cost one substring scan per line.
        if not any(might_use_jax(line) for line in self.lines):
            return
        try:
            diagnostics = lint_tree(self.tree, self.lines, self.filename, self.config)
        except SourceError:
            return  # flake8 already parsed this file; nothing we can add
        for d in diagnostics:
            # flake8 wants 0-based columns from plugins and prints them 1-based.
            yield d.line, d.col, f"{d.code} {d.message}", type(self)
