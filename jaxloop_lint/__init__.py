"""jaxloop-lint: find Python loops in traced JAX code, and rewrite them into lax loops."""
from .catalog import RULES, Rule
from .config import Config
from .core import SourceError, lint_source, lint_tree
from .diagnostics import Applicability, Diagnostic, Fix

__version__ = "0.1.0"

__all__ = ["Applicability", "Config", "Diagnostic", "Fix", "RULES", "Rule", "SourceError",
           "lint_source", "lint_tree", "__version__"]
