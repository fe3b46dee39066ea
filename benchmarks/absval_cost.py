"""Cost of the abstract values: carry_types for every loop of every function, against ast.parse.

    python benchmarks/absval_cost.py DIR [--repeat N]

For each file: ast.parse; then, for every function (methods and nested functions included)
whose own body holds a loop, one FunctionValues walk (parameters taken as traced arrays, the
module's constants as lookup) and loop_carry_types for each of its loops, asked about every
name the loop assigns. Finding the functions, loops and names (what the planner already has)
is not timed; module_lookup is, once per module with a loop. Prints files, lines, functions,
loops, the best-of-N times and their ratio, the slowest function, the loop-body passes, and how
many walks raised (must be 0).
"""
from __future__ import annotations

import argparse
import ast
import pathlib
import sys
import time

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1]))

from jaxloop_lint.analysis.absval import (FunctionValues, loop_carry_types,  # noqa: E402
                                          module_lookup, param_values)
from jaxloop_lint.analysis.imports import ImportMap  # noqa: E402

_FUNCS = (ast.FunctionDef, ast.AsyncFunctionDef)


def own_loops(fn) -> list:
    out, todo = [], list(fn.body)
    while todo:
        node = todo.pop()
        if isinstance(node, (ast.For, ast.AsyncFor, ast.While)):
            out.append(node)
        if isinstance(node, _FUNCS + (ast.ClassDef, ast.Lambda)):
            continue
        todo.extend(ast.iter_child_nodes(node))
    return out


def assigned(loop) -> list[str]:
    return sorted({n.id for n in ast.walk(loop) if isinstance(n, ast.Name)
                   and isinstance(n.ctx, ast.Store)})


def prepare(tree: ast.Module):
    """What the planner already knows before it asks (not timed): the module's imports, its
    functions with loops, each loop's assigned names, which functions are methods."""
    imports = ImportMap()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            imports.add(node)
    methods = {id(f) for c in ast.walk(tree) if isinstance(c, ast.ClassDef)
               for f in c.body if isinstance(f, _FUNCS)}
    work = []
    for fn in ast.walk(tree):
        if isinstance(fn, _FUNCS):
            loops = own_loops(fn)
            if loops:
                work.append((fn, id(fn) in methods, [(loop, assigned(loop)) for loop in loops]))
    return tree, imports, work


def analyse(prepared, stats: dict) -> None:
    tree, imports, work = prepared
    if not work:
        return
    lookup = module_lookup(tree, imports)
    for fn, method, loops in work:
        start = time.perf_counter()
        try:
            values = FunctionValues(fn, imports, param_values(fn, method=method, imports=imports),
                                    lookup=lookup)
            for loop, names in loops:
                if loop in values._walker.loops:
                    loop_carry_types(values, loop, names)
                    stats["loops"] += 1
                else:
                    stats["unreached"] += 1
            stats["passes"] += values.passes
        except Exception as exc:  # noqa: BLE001 - counted and reported: must never happen
            stats["errors"] += 1
            stats.setdefault("first_error", f"{fn.name} line {fn.lineno}: {exc!r}")
        took = time.perf_counter() - start
        stats["functions"] += 1
        if took > stats["slowest"][0]:
            stats["slowest"] = (took, f"{fn.name} (line {fn.lineno}, {len(loops)} loops)")


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

    def parse_all():
        trees = []
        for path, src in sources:
            try:
                trees.append(ast.parse(src, path))
            except (SyntaxError, ValueError):
                pass
        return trees

    def best(fn):
        times, out = [], None
        for _ in range(args.repeat):
            start = time.perf_counter()
            out = fn()
            times.append(time.perf_counter() - start)
        return min(times), out

    t_parse, trees = best(parse_all)
    prepared = [prepare(tree) for tree in trees]

    def absval_all():
        stats = {"functions": 0, "loops": 0, "unreached": 0, "passes": 0, "errors": 0,
                 "slowest": (0.0, "")}
        for item in prepared:
            analyse(item, stats)
        return stats

    t_abs, stats = best(absval_all)
    print(f"files {len(trees)}, lines {lines}, functions with loops {stats['functions']}, "
          f"loops {stats['loops']} (+{stats['unreached']} unreachable)")
    print(f"ast.parse            {t_parse * 1000:8.1f} ms")
    print(f"carry_types, all     {t_abs * 1000:8.1f} ms   ratio to parse {t_abs / t_parse:.2f}")
    print(f"per loop             {t_abs / max(stats['loops'], 1) * 1e6:8.1f} us")
    print(f"loop-body passes     {stats['passes']} ({stats['passes'] / max(stats['loops'], 1):.2f}"
          " per loop, nested loops included)")
    print(f"slowest function     {stats['slowest'][0] * 1000:.1f} ms: {stats['slowest'][1]}")
    print(f"errors               {stats['errors']}" +
          (f"  first: {stats['first_error']}" if stats["errors"] else ""))
    return 1 if stats["errors"] else 0


if __name__ == "__main__":
    sys.exit(main())
