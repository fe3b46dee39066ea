"""What the JXL plugin adds to a flake8 run: flake8 with its default checks and the plugin,
against the same flake8 with the plugin left out, on the same files.

    python benchmarks/flake8_cost.py DIR [--repeat N] [--jobs N]

flake8 has no switch that stops an installed plugin from running (``--select`` and
``--extend-ignore`` only filter what is reported), so the "without" run starts flake8 with the
plugin's entry point removed from what flake8's plugin finder returns; everything else (the
options, pycodestyle, pyflakes, mccabe) is identical. Median wall and CPU time of N whole
commands, run alternately so changes in the machine's load hit both sides alike; the
default ``--jobs`` is flake8's own default (one process per core); ``--jobs 1`` isolates the work.
"""
from __future__ import annotations

import argparse
import pathlib
import sys

HERE = pathlib.Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from timing import header, installed_env, load, median, row, timed  # noqa: E402

ENTRY_POINT = "JXL"


def flake8_without_plugin(argv: list[str]) -> int:
    from flake8.main.cli import main as flake8_main
    from flake8.plugins import finder

    find = finder.find_plugins

    def without(*args, **kwargs):
        return [p for p in find(*args, **kwargs) if p.entry_point.name != ENTRY_POINT]

    finder.find_plugins = without
    return flake8_main(argv)


def flake8_with_plugin(argv: list[str]) -> int:
    from flake8.main.cli import main as flake8_main
    from flake8.plugins import finder

    names = [p.entry_point.name for p in finder._find_importlib_plugins()]
    if ENTRY_POINT not in names:
        sys.exit("the JXL plugin is not installed in this environment (pip install -e .)")
    return flake8_main(argv)


def main() -> int:
    if len(sys.argv) > 1 and sys.argv[1] in ("--with", "--without"):
        run = flake8_with_plugin if sys.argv[1] == "--with" else flake8_without_plugin
        return run(sys.argv[2:])
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("directory")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--jobs", default="auto")
    args = parser.parse_args()

    flake8_args = ["--jobs", args.jobs, "--exit-zero", "--output-file", "/dev/null",
                   args.directory]
    print(f"flake8 on {args.directory}, --jobs {args.jobs}; load average before: {load()}; "
          f"median of {args.repeat} runs")
    env = installed_env()  # bytecode cached as after a normal install, for both sides
    timed([sys.executable, __file__, "--with", "--exit-zero", __file__], env)  # compile it once
    without, with_ = [], []
    for _ in range(args.repeat):
        without.append(timed([sys.executable, __file__, "--without"] + flake8_args, env))
        with_.append(timed([sys.executable, __file__, "--with"] + flake8_args, env))
    base, plugged = median(without), median(with_)
    print(header())
    print(row("flake8, default checks, JXL plugin left out", base, base))
    print(row("flake8, default checks + JXL plugin", plugged, base,
              f"the plugin adds {100 * (plugged.wall / base.wall - 1):.1f}% wall, "
              f"{100 * (plugged.cpu / base.cpu - 1):.1f}% cpu"))
    print(f"load average after: {load()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
