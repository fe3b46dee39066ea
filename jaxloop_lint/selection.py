"""``select`` / ``ignore`` as flake8 reads them, shared by the front ends that filter themselves
(the fix CLI, the editor server, and the flake8 plugin for ``[tool.jaxloop]``)."""
from __future__ import annotations

from typing import Sequence


def selected(code: str, select: Sequence[str], ignore: Sequence[str]) -> bool:
    """flake8's rule: the longest matching prefix wins; select defaults to everything."""
    sel = max((len(p) for p in select if code.startswith(p)), default=-1 if select else 0)
    ign = max((len(p) for p in ignore if code.startswith(p)), default=-1)
    return sel >= 0 and sel > ign  # an equally long ignore wins
