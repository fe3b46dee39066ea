"""Rule implementations. Each module holds one family; each rule registers against a code of the
catalog with ``@rule``, so the set of rules is whatever the catalog and these modules say."""
from __future__ import annotations

import ast
from dataclasses import dataclass
from typing import Callable, Iterator, Optional

from ..catalog import BY_CODE
from ..analysis.model import ModuleModel


@dataclass(frozen=True)
class Finding:
    code: str
    node: ast.AST           # where the finding points (line, column, end)
    fields: dict            # formatted into the catalog message
    plan: object = None     # a LoopPlan (the fix) or a Refusal (why there is none)

    @property
    def message(self) -> str:
        return BY_CODE[self.code].format(**self.fields)

    @property
    def detail(self) -> str:
        return BY_CODE[self.code].explain(**self.fields)


Check = Callable[[ModuleModel], Iterator[Finding]]
CHECKS: dict[str, Check] = {}


def rule(code: str) -> Callable[[Check], Check]:
    if code not in BY_CODE:
        raise KeyError(f"{code} is not in the rule catalog")

    def register(check: Check) -> Check:
        if code in CHECKS:
            raise KeyError(f"{code} is implemented twice")
        CHECKS[code] = check
        return check
    return register


def source(node: Optional[ast.AST], limit: int = 60) -> str:
    """Source text of a node for a message, shortened."""
    if node is None:
        return ""
    text = ast.unparse(node)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def run(model: ModuleModel) -> Iterator[Finding]:
    for check in CHECKS.values():
        yield from check(model)


from . import accumulation, loops, variables  # noqa: E402,F401  (registers the rules)
