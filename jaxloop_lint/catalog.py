"""The rule table: the single source of truth for codes, names, messages, fix safety and docs.

Nothing else in the project may define a rule code. Rules register an implementation against a
code from this table (see ``jaxloop_lint.rules``); a test checks that every entry has exactly one.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

from .diagnostics import Applicability

# Where the docs site (docs/, mkdocs.yml's `site_url`) is published; a test keeps them equal.
# Each rule's page is docs/rules/<code>.md in the repository and <DOCS_SITE>/rules/<code>/ there.
DOCS_SITE = "https://jaxloop-lint.readthedocs.io/en/latest"


@dataclass(frozen=True)
class Rule:
    code: str
    name: str
    summary: str
    # str.format template; the analysis supplies the fields.
    message: str
    # Best applicability a fix for this rule can have; None: the rule never offers a fix.
    fix: Optional[Applicability]
    # The code fails under jit (an error), rather than running slowly (a warning).
    raises: bool = False

    @property
    def severity(self) -> str:
        return "error" if self.raises else "warning"

    @property
    def docs_url(self) -> str:
        return f"{DOCS_SITE}/rules/{self.code}/"

    @property
    def docs_path(self) -> str:
        """The page in the repository."""
        return f"docs/rules/{self.code}.md"

    def format(self, **fields: str) -> str:
        return self.message.format(**fields)


RULES: tuple[Rule, ...] = (
    Rule(
        "JXL101", "for-over-traced-array",
        "`for` over a traced array unrolls at trace time",
        "`for` over traced array {iterable} unrolls {trips} times at trace time: trace and "
        "compile time grow with the length; use jax.lax.scan over it",
        Applicability.SAFE,
    ),
    Rule(
        "JXL102", "range-over-shape",
        "`range` bound taken from an array's shape unrolls at trace time",
        "range({bound}) is bound by an array's shape: the loop unrolls {bound} times at trace "
        "time and compile time grows with it; use jax.lax.scan or jax.lax.fori_loop",
        Applicability.SAFE,
    ),
    Rule(
        "JXL103", "range-over-traced-int",
        "`range` over a traced integer raises under jit",
        "range({bound}) over traced `{name}` raises TracerIntegerConversionError under jit; "
        "use jax.lax.fori_loop (a masked jax.lax.scan if gradients flow) or make `{name}` static",
        Applicability.UNSAFE,
        raises=True,
    ),
    Rule(
        "JXL104", "while-traced-condition",
        "`while` on a traced condition raises under jit",
        "while condition `{test}` is traced: raises TracerBoolConversionError under jit; "
        "use jax.lax.while_loop",
        Applicability.UNSAFE,
        raises=True,
    ),
    Rule(
        "JXL201", "append-then-stack",
        "per-step outputs collected in a list and stacked after an unrolled loop",
        "`{call}` collects a traced value per step and `{list}` is stacked after the loop: "
        "scan outputs in disguise; return it as the per-step output (ys) of jax.lax.scan",
        Applicability.SAFE,
    ),
    Rule(
        "JXL202", "growing-concatenate",
        "an array grown by concatenation inside an unrolled loop",
        "`{func}` grows `{name}` every iteration: quadratic copying and a new shape at each step; "
        "return the piece as the per-step output (ys) of jax.lax.scan, or fill a preallocated "
        "array with .at[i].set",
        None,  # no automatic fix yet
    ),
    Rule(
        "JXL203", "lax-body-outer-state",
        "a lax loop body writes Python state outside itself",
        "{loop} body writes outer Python state `{target}`: the body is traced once, so this runs "
        "once, not once per step, and a traced value stored there leaks (UnexpectedTracerError "
        "when used); return the value from the body instead",
        Applicability.UNSAFE,
        raises=True,
    ),
    Rule(
        "JXL204", "inplace-item-assignment",
        "in-place item assignment on a JAX array",
        "in-place assignment `{target}` on JAX array `{name}` raises TypeError: JAX arrays are "
        "immutable; write `{name} = {name}.at[{index}].{method}({value})`",
        Applicability.SAFE,
        raises=True,
    ),
    Rule(
        "JXL301", "lax-body-reads-variable",
        "a lax loop body reads an nnx Variable",
        "{loop} body reads nnx Variable `self.{attr}` through the closure: hoist "
        "`{attr} = self.{attr}[...]` before the loop so the body is a pure function of arrays",
        Applicability.SAFE,
    ),
    Rule(
        "JXL302", "lax-body-mutates-variable",
        "a lax loop body mutates an nnx Variable",
        "{loop} body mutates {what}: raises flax.errors.TraceContextError; "
        "carry its value through the loop and write it back after, or use nnx.{nnx_loop} with "
        "the module in the carry",
        Applicability.SAFE,
        raises=True,
    ),
)

BY_CODE: dict[str, Rule] = {rule.code: rule for rule in RULES}


def code_error(code: str) -> Optional[str]:
    """Why ``code`` names no rule (None if it is a code or a prefix of one): the one check of
    ``select`` / ``ignore`` for ``[tool.jaxloop]`` and the command line alike, so a typo never
    selects nothing and passes."""
    if code.startswith("JXL") and any(rule.code.startswith(code) for rule in RULES):
        return None
    return f"{code!r} is not a jaxloop-lint code or code prefix (JXL, JXL1, JXL101, ...)"
