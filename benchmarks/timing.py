"""Shared by the benchmark scripts: run a command several times, report the median wall time
and the median CPU time (user + system of the command and its children, which other work on a
shared machine disturbs less than the wall clock)."""
from __future__ import annotations

import os
import resource
import statistics
import subprocess
import tempfile
import time
from typing import NamedTuple, Optional, Sequence


class Timing(NamedTuple):
    wall: float
    cpu: float


def load() -> str:
    """The 1-minute load average (other work on the machine skews every figure)."""
    try:
        return f"{os.getloadavg()[0]:.2f}"
    except OSError:
        return "n/a"


def installed_env(base: Optional[dict] = None) -> dict:
    """The environment of a normal install: Python keeps the bytecode of the modules it
    imports. With ``PYTHONDONTWRITEBYTECODE`` set (as on some sandboxes and CI machines) an
    editable install recompiles every module of the tool at each start, about 0.2 s that no
    user with a normal install pays. The cache goes to a temporary prefix, not the checkout."""
    env = dict(os.environ if base is None else base)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env.setdefault("PYTHONPYCACHEPREFIX", os.path.join(tempfile.gettempdir(),
                                                       "jaxloop-bench-pycache"))
    return env


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def timed(cmd: Sequence[str], env: Optional[dict] = None) -> Timing:
    cpu, start = _children_cpu(), time.perf_counter()
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env,
                   check=False)
    return Timing(time.perf_counter() - start, _children_cpu() - cpu)


def median(runs: Sequence[Timing]) -> Timing:
    return Timing(statistics.median(t.wall for t in runs), statistics.median(t.cpu for t in runs))


def median_wall(cmd: Sequence[str], repeat: int, env: Optional[dict] = None,
                before=None) -> Timing:
    """Median wall and CPU time of ``cmd`` (Python start-up included). ``before`` runs ahead
    of each timed run (e.g. to empty a cache)."""
    runs = []
    for _ in range(repeat):
        if before is not None:
            before()
        runs.append(timed(cmd, env))
    return median(runs)


def header() -> str:
    return f"{'':<50} {'wall':>9}  {'ratio':>6}  {'cpu':>8}  {'ratio':>6}"


def row(label: str, t: Timing, base: Optional[Timing] = None, extra: str = "") -> str:
    wall_ratio = f"{t.wall / base.wall:5.2f}x" if base else " " * 6
    cpu_ratio = f"{t.cpu / base.cpu:5.2f}x" if base and base.cpu else " " * 6
    return (f"{label:<50} {t.wall:7.3f} s  {wall_ratio}  {t.cpu:6.3f} s  {cpu_ratio}  "
            f"{extra}").rstrip()
