"""Time the analysis core against plain ``ast.parse`` over a directory of Python files.

    python benchmarks/lint_speed.py DIR [--repeat N]

Prints files, lines, the time of ast.parse, the time of the core on the parsed trees (what the
flake8 plugin adds, since flake8 hands plugins its tree), the core including its own parse
(``lint_source``), and the ratios. The best of N runs is reported for each.
"""
from __future__ import annotations

import argparse
import ast
import pathlib
import sys
import time

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1]))

from jaxloop_lint import SourceError, lint_source, lint_tree  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("directory", type=pathlib.Path)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    sources = []
    for path in sorted(args.directory.rglob("*.py")):
        try:
            sources.append((str(path), path.read_text(encoding="utf-8")))
        except (OSError, UnicodeDecodeError):
            continue
    lines = sum(s.count("\n") + 1 for _, s in sources)

    def best(fn):
        times = []
        for _ in range(args.repeat):
            start = time.perf_counter()
            out = fn()
            times.append(time.perf_counter() - start)
        return min(times), out

    def parse_all():
        trees = []
        for path, src in sources:
            try:
                trees.append((path, src, ast.parse(src, path)))
            except SyntaxError:
                pass
        return trees

    t_parse, trees = best(parse_all)

    def core_on_trees():
        n = 0
        for path, src, tree in trees:
            try:
                n += len(lint_tree(tree, src.splitlines(True), path))
            except SourceError:
                pass
        return n

    def core_with_parse():
        n = 0
        for path, src in sources:
            try:
                n += len(lint_source(src, path))
            except SourceError:
                pass
        return n

    t_core, findings = best(core_on_trees)
    t_full, _ = best(core_with_parse)
    print(f"{'directory':<28} {args.directory}")
    print(f"{'files':<28} {len(sources)}")
    print(f"{'lines':<28} {lines}")
    print(f"{'findings':<28} {findings}")
    print(f"{'ast.parse':<28} {t_parse:8.3f} s  ({lines / t_parse:,.0f} lines/s)")
    print(f"{'core on parsed trees':<28} {t_core:8.3f} s  ratio to ast.parse {t_core / t_parse:.2f}x")
    print(f"{'lint_source (parse + core)':<28} {t_full:8.3f} s  ratio to ast.parse {t_full / t_parse:.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
