"""Settings every front end passes to the core."""
from __future__ import annotations

from dataclasses import dataclass

# How generated code reads and writes a flax nnx Variable's array:
#   "current" -- ``v[...]`` / ``v[...] = x`` (flax >= 0.12, where ``.value`` is deprecated);
#   "legacy"  -- ``v.value`` / ``v.value = x`` (a project pinned to an older flax);
#   "auto"    -- follow the file's own style: "legacy" if it uses ``.value`` and never ``[...]``.
FLAX_API_CHOICES = ("auto", "current", "legacy")


@dataclass(frozen=True)
class Config:
    # Qualified or local names of a project's own jit-like decorators (``mypkg.my_jit``), whose
    # functions are traced with every argument that is not static.
    extra_jit_decorators: tuple[str, ...] = ()
    flax_api: str = "auto"

    def __post_init__(self) -> None:
        if self.flax_api not in FLAX_API_CHOICES:
            raise ValueError(f"flax_api must be one of {', '.join(FLAX_API_CHOICES)}, "
                             f"not {self.flax_api!r}")
