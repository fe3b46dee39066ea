"""Jit-run loops rewritten in real code against their originals (issue 3's "three real
functions"). Each case extracts one function from a fetched public repository (never
committed), fixes it with --unsafe-fixes semantics and runs tests/equivalence.check_equivalent.

Usage: python benchmarks/real_functions.py CORPUS_ROOT
CORPUS_ROOT holds the repositories as <owner>+<name>/ (google+flax, jax-ml+jax).
"""
import ast
import os
import pathlib
import sys
import textwrap

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)
sys.path.insert(0, os.path.join(ROOT, "tests"))
CORPUS = sys.argv[1] if len(sys.argv) > 1 else "/tmp/corpus"
import jax  # noqa: E402
import jax.numpy as jnp  # noqa: E402
from fixers.apply import fix_source
from equivalence import check_equivalent
from fix_payoff import load  # noqa: E402  (benchmarks/ is on sys.path as the script's dir)

def extract(path, qual, prelude="", line=None):
    """The function ``qual`` (the one around ``line``) with the file's jax/numpy imports."""
    src = pathlib.Path(path).read_text()
    tree = ast.parse(src)
    imports = [ast.get_source_segment(src, n) for n in tree.body if isinstance(n, (ast.Import, ast.ImportFrom))]
    node = next(n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef) and n.name == qual
                and (line is None or n.lineno <= line <= n.end_lineno))
    fn = textwrap.dedent(ast.get_source_segment(src, node))
    decos = "".join("@" + ast.get_source_segment(src, d) + "\n" for d in node.decorator_list)
    keep = [i for i in imports if "jax" in i or "numpy" in i or "functools" in i]
    return "\n".join(keep) + "\n" + prelude + "\n\n" + textwrap.dedent(decos) + fn + "\n"

def main():
    k = jax.random.key(0)
    cases = [
     (f"{CORPUS}/google+flax/examples/ppo/ppo_lib.py", "gae_advantages", "",
      lambda T: (jax.random.uniform(k, (T, 4)), (jax.random.uniform(jax.random.fold_in(k,1), (T, 4)) > 0.2).astype(jnp.float32),
                 jax.random.normal(jax.random.fold_in(k,2), (T + 1, 4)), 0.99, 0.95), dict(grad="auto")),
     (f"{CORPUS}/jax-ml+jax/tests/lax_numpy_test.py", "f", "",
      lambda T: (jnp.float32(1.0001), T), dict(differentiable=False, static_argnums=())),
     (f"{CORPUS}/jax-ml+jax/tests/pallas/fuser_block_spec_test.py", "gen", "key = jax.random.key(0)",
      lambda T: (jnp.arange(T, dtype=jnp.uint32),), dict()),
     (f"{CORPUS}/jax-ml+jax/tests/mutable_array_test.py", "inner", "mutable_bools = []",
      lambda T: (jax.random.normal(k, (T,)),), dict(grad="auto")),
    ]
    lines = {"f": 3839, "inner": 714}
    for path, fn, prelude, args, opts in cases:
        before = extract(path, fn, prelude, lines.get(fn))
        r = fix_source(before, fn + ".py", unsafe=True)
        print("=" * 70, fn, "applied:", [d.code for d in r.applied])
        print(r.fixed[r.fixed.find("def "):][:900])
        a = load(before, fn + "_before"); b = load(r.fixed, fn + "_after")
        print(check_equivalent(getattr(a, fn), getattr(b, fn), args, trip_counts=(8, 32), **opts))


if __name__ == "__main__":
    main()
