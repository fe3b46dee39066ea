"""Settings every front end passes to the core."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Config:
    # Qualified or local names of a project's own jit-like decorators (``mypkg.my_jit``), whose
    # functions are traced with every argument that is not static.
    extra_jit_decorators: tuple[str, ...] = ()
