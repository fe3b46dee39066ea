"""Issue 4's rules (JXL203, JXL204, JXL301, JXL302) on real public nnx code.

Usage: python benchmarks/real_nnx_modules.py CORPUS_ROOT [OWNER+NAME ...]

CORPUS_ROOT holds each repository's files as CORPUS_ROOT/<owner>+<name>/ (none of it is part of
this project, nothing of it is committed). A repository that is absent is reported as skipped.
The snapshots measured (owner/name @ commit):

    google/flax                      18f8f311c275d57f46d95e41b15aa97b454754c0
    erfanzar/EasyDeL                 090a03b2e0b3606bd38e0e3fcfdc640cd7e6e246
    google/tunix                     c7d8950f12a9c55a976bf2e1a0d8b447d71c20b3
    jax-ml/bonsai                    36284254cf738d99c1c5d1e3a292d27656a0a365
    AI-Hypercomputer/maxtext         e591f30cbbf217ed67ef71263ec0538239f9c3b8
    AI-Hypercomputer/maxdiffusion    7cfb8801d41d1728f0232cd7ee59e900a151fecf
    jax-ml/jax                       cec06d116c05f0d52adfceee3d3b730fdbcb0ce5
    jax-ml/jax-ai-stack              59de2e1f79348ac85ee26c463c3cede21d8908a5
    maxencefaldor/cax                474b785fa1f1dec9c58dfebdb2da15031ba25b08
    thiomajid/moxe                   a2ea63fe3b1014cc44af8322a238cdcac6d5bc2f
    zinccat/rnn_nnx                  5622c4ec77cbb598dfacc4d92a9746c239992944
    jinPrelude/minimal-rl-nnx        c5eced1f0c904748009be62deddf0e670b444c5e
    horoiwa/rl-with-flax-nnx         fbb6f259bcf02bf7e0104cc78f534930d7d401dc
    kelechi-c/microdit_jax           415be9ffe4ebf0c056134fa602144252a4479b4e
    lenardrommel/laplax              58a1b92f6124428f105843fd064d23da7d1cfe4f
    mlnomadpy/flaxchat               9653ab459f445496262a42477617c6ae0c4253ef
    cgarciae/nnx                     b4c31367a42f62360575018a21012c3dbb084131

Fetch one with git (any clone of the repository at that commit will do):

    git clone https://github.com/<owner>/<name> /tmp/src && git -C /tmp/src archive <commit> \\
        | tar -x -C CORPUS_ROOT/<owner>+<name>

For each repository it runs `jaxloop-fix --check --unsafe-fixes` over its .py files and over the
code cells of its notebooks and jupytext/markdown pages (converted to temporary .py files), then
prints the issue-4 findings one by one: where, the rule, and the fix (or why there is none).

For a finding the fixer rewrites, CASES below says how to call the function (the way
benchmarks/real_functions.py does), and the script runs the rewrite against the original with
tests/equivalence.check_equivalent (nnx modules: the original eagerly, the rewrite under nnx.jit,
Variable state compared). On these snapshots no issue-4 finding has a fix (the nine JXL203
findings are deliberate trace-time side effects in jax's own tests, each refused with a reason),
so CASES is empty and no equivalence run is printed: the script says so.

KNOWN_MISSES lists places where a reader sees an issue-4 pattern that the tool does not report,
re-checked on every run ("still missed" / "now reported").
"""
from __future__ import annotations

import ast
import collections
import json
import os
import re
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ISSUE4 = ("JXL203", "JXL204", "JXL301", "JXL302")

REPOS = [
    "google+flax", "erfanzar+EasyDeL", "google+tunix", "jax-ml+bonsai",
    "AI-Hypercomputer+maxtext", "AI-Hypercomputer+maxdiffusion", "jax-ml+jax",
    "jax-ml+jax-ai-stack", "maxencefaldor+cax", "thiomajid+moxe", "zinccat+rnn_nnx",
    "jinPrelude+minimal-rl-nnx", "horoiwa+rl-with-flax-nnx", "kelechi-c+microdit_jax",
    "lenardrommel+laplax", "mlnomadpy+flaxchat", "cgarciae+nnx",
]

# (repo, path, qualname, args(T), check_equivalent options): a fixed issue-4 finding to run.
CASES: list = []

# (repo, path, class, method, rule, what a reader sees, why the tool is silent)
KNOWN_MISSES = [
    ("erfanzar+EasyDeL", "easydel/modules/rwkv/modeling_rwkv.py", "RwkvSelfAttention",
     "__call__", "JXL301",
     "the jax.lax.scan body `step` reads `self.time_first.reshape(-1)` and "
     "`self.time_decay.reshape(-1)` (nnx Params) through the closure",
     "both are `ArrayParam.bound(...)`: a Param subclass imported from easydel.infra.utils and "
     "built by a classmethod; a one-file analysis cannot see that it makes a Variable"),
]


def notebook_cells(path: str) -> list[str]:
    """The code cells of an .ipynb, or the ```python / {code-cell} blocks of an .md page."""
    text = open(path, encoding="utf-8", errors="replace").read()
    if path.endswith(".ipynb"):
        try:
            cells = [c for c in json.loads(text).get("cells", []) if c.get("cell_type") == "code"]
        except ValueError:
            return []
        out = ["".join(c["source"]) if isinstance(c["source"], list) else c["source"]
               for c in cells]
    else:
        out = re.findall(r"^```(?:\{code-cell\}[^\n]*|python|py)\n(.*?)^```", text, re.S | re.M)
        out = [re.sub(r"^:[a-z_-]+:.*\n", "", c, flags=re.M) for c in out]
    keep = []
    for cell in out:  # IPython magics and shell escapes become comments
        cell = re.sub(r"^(\s*)([%!].*)$", r"\1pass  # \2", cell, flags=re.M)
        try:
            ast.parse(cell)
        except SyntaxError:
            continue
        keep.append(cell)
    return keep if any("jax" in c for c in keep) else []


def scan(root: str) -> tuple[list, int, int, dict]:
    """Findings (json dicts) of the repository's .py files and notebooks; files; lines."""
    py, lines, origin = [], 0, {}
    tmp = tempfile.mkdtemp(prefix="jxl_nb_")
    for dirpath, _, files in os.walk(root):
        for f in files:
            path = os.path.join(dirpath, f)
            if f.endswith(".py"):
                py.append(path)
                with open(path, "rb") as fh:
                    lines += fh.read().count(b"\n")
            elif f.endswith((".ipynb", ".md")):
                cells = notebook_cells(path)
                if cells:
                    out = os.path.join(tmp, f"nb{len(origin)}.py")
                    with open(out, "w", encoding="utf-8") as fh:
                        fh.write("\n\n".join(cells) + "\n")
                    origin[out] = os.path.relpath(path, root) + " (code cells)"
                    py.append(out)
    findings = []
    for i in range(0, len(py), 2000):  # keep the command line short
        proc = subprocess.run(
            [sys.executable, "-m", "fixers.cli", "--check", "--unsafe-fixes", "--no-cache", "-q",
             "--output-format", "json", *py[i:i + 2000]],
            cwd=ROOT, capture_output=True, text=True)
        findings += json.loads(proc.stdout or "[]")
    return findings, len(py), lines, origin


def show(path: str, root: str, origin: dict) -> str:
    return origin.get(path) or os.path.relpath(path, root)


def main() -> None:
    corpus = sys.argv[1] if len(sys.argv) > 1 else "/tmp/corpus"
    only = set(sys.argv[2:])
    total = collections.Counter()
    fixed = []
    for repo in REPOS:
        if only and repo not in only:
            continue
        root = os.path.join(corpus, repo)
        if not os.path.isdir(root):
            print(f"== {repo.replace('+', '/')}: SKIP, {root} is absent (see the docstring)")
            continue
        findings, files, lines, origin = scan(root)
        mine = [f for f in findings if f["code"] in ISSUE4]
        counts = collections.Counter(f["code"] for f in findings)
        total.update(counts)
        print(f"== {repo.replace('+', '/')}: {files} files (.py and notebook pages), {lines} "
              f"lines of .py; findings "
              f"{dict(sorted(counts.items())) or '{}'}; issue-4 findings: {len(mine)}")
        for f in mine:
            where = f"{show(f['path'], root, origin)}:{f['start']['line']}"
            if f.get("fix"):
                fixed.append((repo, f))
                how = f"fix ({f['fix']['applicability']}): {f['fix']['description']}"
            else:
                how = "no fix: " + f["message"].split("no automatic fix: ", 1)[-1]
            print(f"   {f['code']} {where}\n      {how}")
    print(f"== all repositories: findings {dict(sorted(total.items()))}")

    print("== equivalence of fixed issue-4 findings")
    if not fixed:
        print("   none: no issue-4 finding in these repositories has a fix to run")
    for repo, f in fixed:
        if not any(c[0] == repo and f["path"].endswith(c[1]) for c in CASES):
            print(f"   {f['code']} {repo}:{f['path']}:{f['start']['line']}: fixed, but not in "
                  "CASES (add how to call it)")
    if CASES:
        run_cases(corpus)

    print("== known misses")
    for repo, path, cls, method, code, seen, why in KNOWN_MISSES:
        full = os.path.join(corpus, repo, path)
        if not os.path.exists(full):
            print(f"   SKIP {repo}/{path}: absent")
            continue
        proc = subprocess.run(
            [sys.executable, "-m", "fixers.cli", "--check", "--no-cache", "-q",
             "--output-format", "json", "--select", code, full],
            cwd=ROOT, capture_output=True, text=True)
        tree = ast.parse(open(full, encoding="utf-8").read())
        node = next(m for c in ast.walk(tree) if isinstance(c, ast.ClassDef) and c.name == cls
                    for m in c.body if isinstance(m, ast.FunctionDef) and m.name == method)
        hits = [f for f in json.loads(proc.stdout or "[]")
                if node.lineno <= f["start"]["line"] <= node.end_lineno]
        state = "now reported" if hits else "still missed"
        print(f"   {state}: {code} {repo.replace('+', '/')} {path} {cls}.{method} "
              f"(lines {node.lineno}-{node.end_lineno})\n      seen: {seen}\n      why: {why}")


def run_cases(corpus: str) -> None:
    """Each CASES entry the way benchmarks/real_functions.py runs its functions."""
    sys.path.insert(0, ROOT)
    sys.path.insert(0, os.path.join(ROOT, "tests"))
    sys.path.insert(0, os.path.join(ROOT, "benchmarks"))
    from equivalence import check_equivalent
    from real_functions import extract
    from fix_payoff import load
    from fixers.apply import fix_source
    for repo, path, qual, args, opts in CASES:
        full = os.path.join(corpus, repo, path)
        if not os.path.exists(full):
            print(f"   SKIP {repo}/{path}: absent")
            continue
        before = extract(full, qual)
        r = fix_source(before, qual + ".py", unsafe=True)
        print(f"   {repo.replace('+', '/')} {path} {qual}: applied {[d.code for d in r.applied]}")
        print(r.fixed[r.fixed.find("def "):][:900])
        a, b = load(before, qual + "_before"), load(r.fixed, qual + "_after")
        rep = check_equivalent(getattr(a, qual), getattr(b, qual), args, **opts)
        print(f"   {'OK' if rep.ok else 'FAIL'}: {rep}")


if __name__ == "__main__":
    main()
