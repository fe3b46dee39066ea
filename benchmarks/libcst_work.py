"""libcst stays confined to the files that have a fix: counts, on a directory.

    python benchmarks/libcst_work.py DIR

Runs ``jaxloop-fix --check`` and then ``--diff --unsafe-fixes`` in this process (``-j 1``, no
cache, so every call is seen here) and prints whether ``--check`` imported libcst at all, how
many files each mode read, how many got a fix, and how many times ``libcst.parse_module`` ran
(each fix round re-parses its file once, so nested loops may cost a file more than one parse).
"""
from __future__ import annotations

import argparse
import contextlib
import io
import pathlib
import sys
import time

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1]))


def quiet_main(argv: list[str]) -> tuple[int, str, float]:
    from fixers import cli

    out = io.StringIO()
    start = time.perf_counter()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(io.StringIO()):
        rc = cli.main(argv)
    return rc, out.getvalue(), time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("directory")
    args = parser.parse_args()
    common = ["-q", "--no-cache", "-j", "1", args.directory]

    from fixers.discovery import collect

    files = collect([args.directory], [])
    _, _, check_time = quiet_main(["--check"] + common)
    imported = "libcst" in sys.modules
    print(f"{'files':<50} {len(files)}")
    print(f"{'--check: libcst imported':<50} {'yes' if imported else 'no'} "
          f"({check_time:.2f} s)")

    import libcst

    parses = []
    parse_module = libcst.parse_module

    def counting(source, *a, **kw):
        parses.append(len(source))
        return parse_module(source, *a, **kw)

    libcst.parse_module = counting
    try:
        _, diff, diff_time = quiet_main(["--diff", "--unsafe-fixes"] + common)
    finally:
        libcst.parse_module = parse_module
    fixed = sum(1 for line in diff.splitlines() if line.startswith("+++ b/"))
    print(f"{'--diff --unsafe-fixes: files with a fix':<50} {fixed}")
    print(f"{'--diff --unsafe-fixes: libcst.parse_module calls':<50} {len(parses)} "
          f"({sum(parses) / 1e6:.2f} MB of source, {diff_time:.2f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
