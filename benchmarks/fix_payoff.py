"""What a rewrite buys: compile time and jaxpr size of an RNN before and after jaxloop-fix.

    python benchmarks/fix_payoff.py [--trips 10 100 1000]

The "before" program is a Python loop over the time axis under jax.jit (it unrolls); the "after"
program is what ``fixers.apply.fix_source`` makes of it. Both are traced (make_jaxpr), lowered
and compiled at each trip count T; the table prints eqn counts and seconds. T=1000 unrolled takes
about a minute to compile on a 2-core machine.
"""
from __future__ import annotations

import argparse
import importlib.util
import pathlib
import sys
import tempfile
import time

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1]))

import jax  # noqa: E402
import jax.numpy as jnp  # noqa: E402

from fixers.apply import fix_source  # noqa: E402

BEFORE = '''\
import jax
import jax.numpy as jnp


@jax.jit
def rnn(w, u, h, xs):
    outs = []
    for x in xs:
        h = jnp.tanh(w @ h + u @ x)
        outs.append(h)
    return h, jnp.stack(outs)
'''


def load(text: str, name: str):
    path = pathlib.Path(tempfile.mkdtemp()) / f"{name}.py"
    path.write_text(text)
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def eqns(jaxpr) -> int:
    total = 0
    for eqn in jaxpr.eqns:
        total += 1
        for param in eqn.params.values():
            for sub in param if isinstance(param, (list, tuple)) else [param]:
                inner = getattr(sub, "jaxpr", sub)
                if hasattr(inner, "eqns"):
                    total += eqns(inner)
    return total


def measure(fn, args) -> tuple[int, float, float]:
    start = time.perf_counter()
    jaxpr = jax.make_jaxpr(fn)(*args)
    lowered = fn.lower(*args)
    trace = time.perf_counter() - start
    start = time.perf_counter()
    lowered.compile()
    return eqns(jaxpr.jaxpr), trace, time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trips", type=int, nargs="+", default=[10, 100, 1000])
    parser.add_argument("--hidden", type=int, default=32)
    args = parser.parse_args()
    result = fix_source(BEFORE, "rnn.py")
    if not result.changed:
        print("the fixer did not rewrite the benchmark program", file=sys.stderr)
        return 1
    before, after = load(BEFORE, "rnn_before"), load(result.fixed, "rnn_after")
    key = jax.random.key(0)
    H = args.hidden
    print(f"{'T':>6} {'variant':<10} {'eqns':>7} {'trace+lower s':>14} {'compile s':>10}")
    for T in args.trips:
        k1, k2, k3 = jax.random.split(jax.random.fold_in(key, T), 3)
        call = (jax.random.normal(k1, (H, H)) / H ** 0.5, jax.random.normal(k2, (H, H)) / H ** 0.5,
                jnp.zeros(H), jax.random.normal(k3, (T, H)))
        for name, module in (("unrolled", before), ("scan", after)):
            n, trace, compile_s = measure(module.rnn, call)
            print(f"{T:>6} {name:<10} {n:>7} {trace:>14.3f} {compile_s:>10.3f}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
