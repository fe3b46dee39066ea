"""jaxloop-lint: find Python loops in traced JAX code, and rewrite them into lax loops."""
from .catalog import RULES, Rule
from .config import Config
from .diagnostics import Applicability, Diagnostic, Fix

__version__ = "0.1.0"

__all__ = ["Applicability", "Config", "Diagnostic", "Fix", "RULES", "Rule", "SourceError",
           "lint_source", "lint_tree", "__version__"]

_FROM_CORE = frozenset({"SourceError", "lint_source", "lint_tree"})


def __getattr__(name: str):
    # The analysis is imported on first use, so a run answered from the cache never loads it.
    if name in _FROM_CORE:
        from . import core
        return getattr(core, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
