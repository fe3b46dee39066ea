"""Our ``# noqa`` reading agrees with flake8's own on every form."""
from __future__ import annotations

import pytest
from flake8.violation import Violation

from jaxloop_lint.noqa import is_suppressed

LINES = [
    "for x in xs:  # noqa",
    "for x in xs:  # noqa: JXL101",
    "for x in xs:  # noqa:JXL1",
    "for x in xs:  # NOQA: JXL201, JXL101",
    "for x in xs:  # noqa: JXL201",
    "for x in xs:  # noqa:jxl101",
    "for x in xs:  # noqa : JXL101",
    "for x in xs:",
    "for x in xs:  # some comment # noqa: E501,JXL",
]


@pytest.mark.parametrize("line", LINES)
@pytest.mark.parametrize("code", ["JXL101", "JXL201", "JXL302"])
def test_same_answer_as_flake8(line, code):
    violation = Violation(code, "f.py", 1, 1, "text", line)
    assert is_suppressed(code, 1, [line]) == violation.is_inline_ignored(False)
