"""The rule table: the single source of truth for codes, names, messages, fix safety and docs.

Nothing else in the project may define a rule code. Rules register an implementation against a
code from this table (see ``jaxloop_lint.rules``); a test checks that every entry has exactly one.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Optional

from .diagnostics import Applicability

# Rule links (the editor's code link, JSON, SARIF, GitHub annotations) are set here and nowhere
# else. Each rule's page is docs/rules/<code>.md in the repository, and <DOCS_SITE>/rules/<code>/
# on the docs site that mkdocs builds from docs/ (mkdocs.yml's `site_url`; a test keeps them
# equal). A link must reach a page that exists, so it goes, in this order, to:
#   1. the docs site, once it is published (set DOCS_PUBLISHED);
#   2. the page in the repository on the web (set REPOSITORY to the URL of its files, e.g.
#      "https://github.com/<owner>/jaxloop-lint/blob/main");
#   3. the page in this checkout (a file:// link; an editor opens it), when there is one;
#   4. the docs site's address, where the page will be.
DOCS_SITE = "https://jaxloop-lint.readthedocs.io/en/latest"
DOCS_PUBLISHED = False
REPOSITORY: Optional[str] = None
_CHECKOUT = Path(__file__).resolve().parent.parent


def docs_link(page: str) -> str:
    """The link to ``docs/<page>.md`` (``page``: "rules/JXL101", "index")."""
    site_page = "" if page == "index" else f"{page}/"
    if DOCS_PUBLISHED:
        return f"{DOCS_SITE}/{site_page}"
    if REPOSITORY:
        return f"{REPOSITORY.rstrip('/')}/docs/{page}.md"
    local = _CHECKOUT / "docs" / f"{page}.md"
    if local.is_file():
        return local.as_uri()
    return f"{DOCS_SITE}/{site_page}"


@dataclass(frozen=True)
class Rule:
    code: str
    name: str
    summary: str
    # The finding's one line (str.format template; the analysis supplies the fields): what, and
    # what happens ("unrolls" / "raises"), short. flake8 and jaxloop-fix print it, followed by
    # the fix ("; fix: jax.lax.scan (safe)") or why there is none.
    message: str
    # Best applicability a fix for this rule can have; None: the rule never offers a fix.
    fix: Optional[Applicability]
    # The code fails under jit (an error), rather than running slowly (a warning).
    raises: bool = False
    # The rest of the explanation (same fields), for --show-fixes, JSON and the editor's hover.
    detail: str = ""
    # Reported at a loop's `for` / `while`: a `# noqa` there protects the loop from every fix.
    loop: bool = False

    @property
    def severity(self) -> str:
        return "error" if self.raises else "warning"

    @property
    def docs_url(self) -> str:
        return docs_link(f"rules/{self.code}")

    @property
    def docs_path(self) -> str:
        """The page in the repository."""
        return f"docs/rules/{self.code}.md"

    def format(self, **fields: str) -> str:
        return self.message.format(**fields)

    def explain(self, **fields: str) -> str:
        return self.detail.format(**fields)


RULES: tuple[Rule, ...] = (
    Rule(
        "JXL101", "for-over-traced-array",
        "`for` over a traced array unrolls at trace time",
        "`for` over {iterable} unrolls {trips} at trace time",
        Applicability.SAFE,
        detail="Python runs the body once per step while tracing: the program XLA compiles "
               "holds one copy of it per step, so trace and compile time grow with the length."
               "{assumed} jax.lax.scan over it traces the body once.",
        loop=True,
    ),
    Rule(
        "JXL102", "range-over-shape",
        "`range` bound taken from an array's shape unrolls at trace time",
        "range({bound}) unrolls {trips} at trace time",
        Applicability.SAFE,
        detail="The bound comes from an array's shape, which is static under jit, so nothing "
               "raises: Python runs the body once per step while tracing, and compile time "
               "grows with the shape. jax.lax.scan or jax.lax.fori_loop traces the body once.",
        loop=True,
    ),
    Rule(
        "JXL103", "range-over-traced-int",
        "`range` over a traced integer raises under jit",
        "range({bound}) over traced `{name}` raises TracerIntegerConversionError under jit",
        Applicability.UNSAFE,
        raises=True,
        detail="A traced integer has no Python value to count to. Use jax.lax.fori_loop (a "
               "masked jax.lax.scan over a static maximum if gradients must flow), or make "
               "`{name}` static (static_argnames).",
        loop=True,
    ),
    Rule(
        "JXL104", "while-traced-condition",
        "`while` on a traced condition raises under jit",
        "while condition `{test}` is traced: raises TracerBoolConversionError under jit",
        Applicability.UNSAFE,
        raises=True,
        detail="A traced condition has no Python bool until the program runs. Use "
               "jax.lax.while_loop.",
        loop=True,
    ),
    Rule(
        "JXL201", "append-then-stack",
        "per-step outputs collected in a list and stacked after an unrolled loop",
        "`{call}` collects a traced value per step and `{list}` is stacked after the loop",
        Applicability.SAFE,
        detail="These are scan outputs in disguise: return the value as the per-step output "
               "(ys) of jax.lax.scan, and drop the list and the stack.",
    ),
    Rule(
        "JXL202", "growing-concatenate",
        "an array grown by concatenation inside an unrolled loop",
        "`{func}` grows `{name}` every step: quadratic copying and a new shape each time",
        None,  # no automatic fix yet
        detail="Return the piece as the per-step output (ys) of jax.lax.scan, or fill a "
               "preallocated array with .at[i].set.",
    ),
    Rule(
        "JXL203", "lax-body-outer-state",
        "a lax loop body writes Python state outside itself",
        "{loop} body writes outer Python state `{target}`: runs once at trace time, not once "
        "per step",
        Applicability.UNSAFE,
        raises=True,
        detail="The body is traced once, so the write happens once, and a traced value stored "
               "there leaks (UnexpectedTracerError when it is used). Return the value from the "
               "body instead.",
    ),
    Rule(
        "JXL204", "inplace-item-assignment",
        "in-place item assignment on a JAX array",
        "in-place assignment `{target}` on JAX array `{name}` raises TypeError",
        Applicability.SAFE,
        raises=True,
        detail="JAX arrays are immutable: write `{name} = {name}.at[{index}].{method}({value})`.",
    ),
    Rule(
        "JXL301", "lax-body-reads-variable",
        "a lax loop body reads an nnx Variable",
        "{loop} body reads nnx Variable `self.{attr}` through the closure",
        Applicability.SAFE,
        detail="The body is traced once, so the Variable is read once, as a constant of the "
               "loop: hoist {hoist} before the loop, so the body is a pure function of arrays "
               "(a write to a Variable in the body raises, JXL302).",
    ),
    Rule(
        "JXL302", "lax-body-mutates-variable",
        "a lax loop body mutates an nnx Variable",
        "{loop} body mutates {what}: raises flax.errors.TraceContextError",
        Applicability.SAFE,
        raises=True,
        detail="Carry its value through the loop and write it back after, or use "
               "nnx.{nnx_loop} with the module in the carry.",
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
