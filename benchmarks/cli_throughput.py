"""Throughput of ``jaxloop-fix --check`` on a directory, against ``ast.parse`` of the same files.

    python benchmarks/cli_throughput.py DIR [--repeat N] [--jobs N]

Every figure is the median of N whole commands (Python start-up included), wall clock and CPU
(user + system of the command and its workers), with ratios to the baseline:

* ``ast.parse`` baseline: a bare interpreter reads and parses the same files, nothing else;
* cold, one process: ``--no-cache -j 1``; cold, all cores: ``--no-cache -j N``;
* cache filling: an empty cache, ``-j N``; warm cache: the same command again, tree unchanged.

Every command runs as after a normal install, with Python's bytecode cache on (see
``timing.installed_env``), whatever ``PYTHONDONTWRITEBYTECODE`` says here.

Peak memory is the jaxloop-fix process's own peak RSS plus N times its largest worker's (an
upper bound on what the run held at once). The load average is printed: on a shared machine
other work slows every row, so compare ratios from one table.
"""
from __future__ import annotations

import argparse
import json
import os
import pathlib
import resource
import shutil
import sys
import tempfile

HERE = pathlib.Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

from timing import header, installed_env, load, median, median_wall, row, timed  # noqa: E402

PARSE_ONLY = """\
import ast, sys
for path in open(sys.argv[1]).read().splitlines():
    with open(path, "rb") as fh:
        data = fh.read()
    try:
        ast.parse(data, path)
    except (SyntaxError, ValueError):
        pass
"""


def measure_one(report: str, argv: list[str]) -> int:
    """Run the CLI in this process, then write its peak RSS and its workers' to ``report``."""
    from fixers import cli

    with open(os.devnull, "w") as null:
        sys.stdout = sys.stderr = null
        rc = cli.main(argv)
    sys.stdout, sys.stderr = sys.__stdout__, sys.__stderr__
    with open(report, "w") as fh:
        json.dump({"self_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
                   "worker_kb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss}, fh)
    return rc


def main() -> int:
    if len(sys.argv) > 2 and sys.argv[1] == "--measure-one":
        return measure_one(sys.argv[2], sys.argv[3:])
    from fixers.discovery import collect
    from fixers.parallel import default_jobs

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("directory")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--jobs", type=int, default=default_jobs())
    args = parser.parse_args()

    files = collect([args.directory], [])
    lines = sum(pathlib.Path(f).read_bytes().count(b"\n") for f in files)
    work = pathlib.Path(tempfile.mkdtemp(prefix="jaxloop-bench-"))
    (work / "files.txt").write_text("\n".join(files))
    (work / "parse.py").write_text(PARSE_ONLY)
    cache = work / "cache"
    env = installed_env(dict(os.environ, JAXLOOP_CACHE_DIR=str(cache)))
    me = [sys.executable, __file__, "--measure-one", str(work / "rss.json")]
    cli = [sys.executable, "-m", "fixers.cli", "--check", "-q"]

    def empty_cache():
        shutil.rmtree(cache, ignore_errors=True)

    timed(cli + ["--no-cache", files[0]], env)  # compiles the tool's bytecode once
    print(f"directory {args.directory}: {len(files)} files, {lines} lines; "
          f"load average before: {load()}; median of {args.repeat} runs; "
          f"bytecode cached as after a normal install ({env['PYTHONPYCACHEPREFIX']})")
    print(header())
    # The baseline and the cold single-process run alternate, so that a change in the
    # machine's speed during the benchmark hits both sides of their ratio alike.
    parse_runs, one_runs = [], []
    for _ in range(args.repeat):
        parse_runs.append(timed([sys.executable, str(work / "parse.py"), str(work / "files.txt")],
                                env))
        one_runs.append(timed(cli + ["--no-cache", "-j", "1", args.directory], env))
    base, one = median(parse_runs), median(one_runs)
    print(row("ast.parse of the same files (baseline)", base, base))
    print(row("jaxloop-fix --check, cold, -j 1", one, base))
    many = median_wall(cli + ["--no-cache", "-j", str(args.jobs), args.directory],
                          args.repeat, env)
    print(row(f"jaxloop-fix --check, cold, -j {args.jobs}", many, base,
              f"speed-up over -j 1: {one.wall / many.wall:.2f}x (wall)"))
    fill = median_wall(cli + ["-j", str(args.jobs), args.directory], args.repeat, env,
                          before=empty_cache)
    print(row(f"jaxloop-fix --check, filling the cache, -j {args.jobs}", fill, base))
    warm = median_wall(cli + ["-j", str(args.jobs), args.directory], args.repeat, env)
    print(row("jaxloop-fix --check, warm cache, unchanged tree", warm, base))

    for jobs in (1, args.jobs):
        median_wall(me + ["--check", "-q", "--no-cache", "-j", str(jobs), args.directory], 1,
                    env)
        rss = json.loads((work / "rss.json").read_text())
        workers = rss["worker_kb"] * jobs  # 0 when the run stayed in one process
        print(f"peak memory, -j {jobs}: {(rss['self_kb'] + workers) / 1024:.0f} MB "
              f"(parent {rss['self_kb'] / 1024:.0f} MB"
              + (f" + {jobs} x largest worker {rss['worker_kb'] / 1024:.0f} MB)" if workers
                 else ", no workers)"))
    print(f"load average after: {load()}")
    shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
