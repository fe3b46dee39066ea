"""flake8 adapter: hands flake8's tree to the core and yields its findings.

flake8 applies ``# noqa``, ``--select``, ``--extend-ignore`` and ``per-file-ignores`` itself, and
reports E999 for files that do not parse (it never calls the plugin for them).

``[tool.jaxloop]`` in the nearest pyproject.toml applies too. Its ``select``, ``ignore`` and
``per-file-ignores`` filter the findings before flake8 sees them (flake8's own filters then apply
on top); for ``extra-jit-decorators`` and ``flax-api``, flake8's options win when they are set.
"""
from __future__ import annotations

import ast
from typing import Iterator, Sequence

from flake8.exceptions import ExecutionError

from . import __version__
from .config import Config
from .config import FLAX_API_CHOICES
from .core import SourceError, lint_tree, might_use_jax
from .project_config import ConfigError, for_path
from .selection import selected


class JaxLoopChecker:
    name = "jaxloop-lint"
    version = __version__
    # flake8's own options; None where flake8 was not given one (then [tool.jaxloop] decides).
    extra_jit_decorators: tuple[str, ...] | None = None
    flax_api: str | None = None

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
        manager.add_option(
            "--jaxloop-flax-api", default=None, parse_from_config=True,
            choices=FLAX_API_CHOICES,
            help="How generated code accesses nnx Variables: auto, current (v[...]) or "
                 "legacy (v.value).")

    @classmethod
    def parse_options(cls, options) -> None:
        extra = getattr(options, "jaxloop_extra_jit_decorators", None) or ()
        extra = tuple(e.strip() for e in extra if e.strip())
        cls.extra_jit_decorators = extra or None
        cls.flax_api = getattr(options, "jaxloop_flax_api", None)

    def run(self) -> Iterator[tuple[int, int, str, type]]:
        # Files that never mention jax (nor a configured jit-like decorator) cost one substring
        # scan per line and the lookup of their [tool.jaxloop].
        jaxy = any(might_use_jax(line) for line in self.lines)
        try:
            project = for_path(self.filename)
        except ConfigError as exc:  # flake8 stops with "There was a critical error ...: <exc>"
            raise ExecutionError(str(exc)) from None
        config = Config(
            extra_jit_decorators=(self.extra_jit_decorators if self.extra_jit_decorators
                                  is not None else project.extra_jit_decorators),
            flax_api=self.flax_api or project.flax_api)
        if not jaxy and not any(might_use_jax(line, config.extra_jit_decorators)
                                for line in self.lines):
            return
        try:
            diagnostics = lint_tree(self.tree, self.lines, self.filename, config)
        except SourceError:
            return  # flake8 already parsed this file; nothing we can add
        ignore = project.ignores_for(self.filename)
        for d in diagnostics:
            if not selected(d.code, project.select, ignore):
                continue
            # flake8 wants 0-based columns from plugins and prints them 1-based.
            yield d.line, d.col, f"{d.code} {d.message}", type(self)
