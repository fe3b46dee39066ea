"""Editor latency of ``jaxloop-lsp``, driven over stdio as an editor drives it, on a JAX module
of about 1,000 lines with many findings (built from the golden inputs and the examples).

    python benchmarks/lsp_latency.py [--python PY] [--repeat N] [--lines N]

``--python``: the interpreter whose ``jaxloop-lsp`` is measured (``python -m fixers.lsp``), e.g.
another checkout's ``.venv/bin/python`` for a before / after pair. ``--count``: the number of
analyses each kind of request runs, instead of times. Rows:

* diagnostics: from a ``didChange`` to the ``publishDiagnostics`` of that version, and the CPU
  time the server's threads ran meanwhile (the latency on an idle machine, near enough);
* quick fix: a ``codeAction`` on the line of a fixable finding, asking for quick fixes only, and
  as a light bulb asks (no ``only``: a server may add its fix-all action);
* burst: 20 keystrokes sent back to back: from the last one to the diagnostics of its version,
  and how many diagnostics of older versions were published meanwhile;
* busy: while a document ``--big`` times bigger is analysed after a change, the reply time of
  a ``codeAction`` on a small document.

Every change is a one-character incremental ``didChange`` at the end of the module, as an
editor sends a keystroke.

Median and worst of N, wall clock. The load average is printed: the machine is shared.
"""
from __future__ import annotations

import argparse
import ast
import pathlib
import re
import statistics
import sys
import tempfile
import time

HERE = pathlib.Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(ROOT / "tests"))

from conftest import RNN_PROGRAM as SMALL  # noqa: E402
from lsp_client import EDITOR, Client  # noqa: E402
from timing import load  # noqa: E402


def build_module(lines: int) -> str:
    """The golden inputs and the examples in one module, test harness parts left out, names
    that two files define made unique, until about ``lines`` lines."""
    files = sorted(p for p in (ROOT / "tests" / "golden").glob("*.py")
                   if not p.name.endswith(".fixed.py"))
    files += sorted((ROOT / "examples").glob("*.py"))
    imports: list[str] = []
    chunks: list[str] = []
    seen: set[str] = set()
    size = 0
    for k, path in enumerate(files):
        src = path.read_text(encoding="utf-8")
        tree = ast.parse(src)
        defs = {n.name for n in tree.body if isinstance(n, (ast.FunctionDef, ast.ClassDef))}
        for name in defs & seen:
            src = re.sub(r"\b%s\b" % re.escape(name), f"{name}_{k}", src)
        tree = ast.parse(src)
        seen |= {n.name for n in tree.body if isinstance(n, (ast.FunctionDef, ast.ClassDef))}
        lines_of = src.splitlines(True)
        parts = []
        for node in tree.body:
            first = min([d.lineno for d in getattr(node, "decorator_list", [])] + [node.lineno])
            text = "".join(lines_of[first - 1:node.end_lineno])
            if isinstance(node, (ast.Import, ast.ImportFrom)):
                if text not in imports:
                    imports.append(text)
            elif _harness(node):
                continue
            else:
                parts.append(text)
        chunk = "\n\n".join(parts)
        if size and size + chunk.count("\n") > lines:
            break
        chunks.append(chunk)
        size += chunk.count("\n") + 3
    return "".join(imports) + "\n\n" + "\n\n\n".join(chunks)


def _harness(node: ast.stmt) -> bool:
    """The golden files' docstring, CASE table, argument makers and ``__main__`` blocks."""
    if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant):
        return True
    if isinstance(node, ast.Assign):
        return any(getattr(t, "id", "") == "CASE" for t in node.targets)
    if isinstance(node, ast.FunctionDef):
        return node.name.startswith("_args")
    return isinstance(node, ast.If)


def server_cpu(client: Client) -> float:
    """Seconds of CPU the server's threads have run so far (Linux): what a change costs on a
    machine with nothing else to do, which the wall clock of a shared one does not show."""
    total = 0
    for task in pathlib.Path(f"/proc/{client.proc.pid}/task").iterdir():
        try:
            total += int((task / "schedstat").read_text().split()[0])
        except (OSError, ValueError, IndexError):  # a thread that just ended
            pass
    return total / 1e9


def _stats(xs: list[float]) -> str:
    return f"median {statistics.median(xs) * 1000:7.1f} ms   worst {max(xs) * 1000:7.1f} ms"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--python", default=sys.executable)
    ap.add_argument("--repeat", type=int, default=15)
    ap.add_argument("--lines", type=int, default=1000)
    ap.add_argument("--big", type=int, default=10,
                    help="the busy row's document: this many copies of the module")
    ap.add_argument("--rows", type=lambda v: v.split(","),
                    default=["diagnostics", "quickfix", "burst", "busy"],
                    help="comma-separated: diagnostics, quickfix, burst, busy (default: all)")
    ap.add_argument("--count", action="store_true",
                    help="count the analyses each request runs instead of timing (the server "
                         "runs under tests/counting_lsp.py, a wrapper that counts them)")
    args = ap.parse_args()
    text = build_module(args.lines)
    if args.count:
        count_analyses(args, text)
    else:
        measure(args, text)


def count_analyses(args, text: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = pathlib.Path(tmp)
        (root / ".git").mkdir()
        path = root / "module.py"
        client = Client(root, [args.python, str(ROOT / "tests" / "counting_lsp.py")])
        try:
            client.initialize(root, EDITOR)
            diags = client.open(path, text)
            count = 0

            def analyses() -> int:
                nonlocal count
                total = client.request("workspace/executeCommand", {"command": "test.analyses"})
                total, count = total - count, total
                return total

            loops = sorted({d["range"]["start"]["line"] for d in diags
                            if d["code"] in ("JXL101", "JXL102", "JXL103", "JXL104")})
            print(f"module: {text.count(chr(10))} lines, {len(diags)} findings; "
                  f"python {args.python}")
            print(f"{'open':<44} {analyses():4d} analyses")
            for label, only in (("quick fix (only: quickfix)", ["quickfix"]),
                                ("light bulb (no only)", None),
                                ("fix all (only: source.fixAll)", ["source.fixAll"])):
                context: dict = {"diagnostics": []}
                if only is not None:
                    context["only"] = only
                line = loops[len(loops) // 2]
                client.request("textDocument/codeAction", {
                    "textDocument": {"uri": path.as_uri()},
                    "range": {"start": {"line": line, "character": 0},
                              "end": {"line": line, "character": 0}},
                    "context": context})
                print(f"{label:<44} {analyses():4d} analyses")
        finally:
            client.close()


class Editing:
    """The module open in the server, typed into at its end as an editor types."""

    def __init__(self, client: Client, path: pathlib.Path, text: str) -> None:
        self.client, self.path = client, path
        self.diags = client.open(path, text)
        self.text = text + "# typing here: "
        client.notify("textDocument/didChange", {
            "textDocument": {"uri": path.as_uri(), "version": 2},
            "contentChanges": [{"text": self.text}]})
        self.version = 2
        self.published(2)
        self.typed = 0

    def type_char(self) -> None:
        """One keystroke at the end of the module: an incremental ``didChange``."""
        self.version += 1
        line = self.text.count("\n")
        column = len(self.text) - self.text.rindex("\n") - 1 + self.typed
        self.typed += 1
        self.client.notify("textDocument/didChange", {
            "textDocument": {"uri": self.path.as_uri(), "version": self.version},
            "contentChanges": [{"range": {"start": {"line": line, "character": column},
                                          "end": {"line": line, "character": column}},
                                "text": "x"}]})

    def published(self, version: int) -> dict:
        return self.client.wait(lambda m: m.get("method") == "textDocument/publishDiagnostics"
                                and m["params"]["uri"] == self.path.as_uri()
                                and m["params"].get("version") == version)["params"]


def diagnostics_row(ed: Editing, repeat: int) -> None:
    times, cpu = [], []
    for _ in range(repeat):
        time.sleep(0.2)  # a pause: each keystroke is analysed on its own
        start, start_cpu = time.perf_counter(), server_cpu(ed.client)
        ed.type_char()
        ed.published(ed.version)
        times.append(time.perf_counter() - start)
        cpu.append(server_cpu(ed.client) - start_cpu)
    print(f"{'diagnostics after a didChange':<44} {_stats(times)}")
    print(f"{'  the server CPU time it took':<44} {_stats(cpu)}")


def quickfix_rows(ed: Editing, repeat: int) -> None:
    loops = sorted({d["range"]["start"]["line"] for d in ed.diags
                    if d["code"] in ("JXL101", "JXL102", "JXL103", "JXL104")})
    for row, (label, only) in enumerate((("quick fix (only: quickfix)", ["quickfix"]),
                                         ("quick fix (light bulb, no only)", None))):
        times = []
        for i in range(repeat):
            # Each row asks about lines of its own (a line's fixes are rendered once).
            line = loops[(2 * i + row) * len(loops) // (2 * repeat)]
            context: dict = {"diagnostics": [d for d in ed.diags
                                             if d["range"]["start"]["line"] == line]}
            if only is not None:
                context["only"] = only
            start = time.perf_counter()
            actions = ed.client.request("textDocument/codeAction", {
                "textDocument": {"uri": ed.path.as_uri()},
                "range": {"start": {"line": line, "character": 0},
                          "end": {"line": line, "character": 0}},
                "context": context})
            times.append(time.perf_counter() - start)
            assert any(a["title"].startswith("Ignore") for a in actions), actions
        print(f"{label:<44} {_stats(times)}")


def burst_row(ed: Editing, repeat: int) -> None:
    times, stale = [], []
    for _ in range(max(3, repeat // 3)):
        time.sleep(0.2)
        first = ed.version + 1
        for _ in range(20):
            ed.type_char()
        start = time.perf_counter()
        older = 0
        while True:
            got = ed.client.wait(lambda m: m.get("method")
                                 == "textDocument/publishDiagnostics")["params"]
            if got.get("version") == ed.version:
                break
            older += got.get("version") is not None and first <= got["version"] < ed.version
        times.append(time.perf_counter() - start)
        stale.append(older)
    print(f"{'burst of 20 keystrokes: last to diagnostics':<44} {_stats(times)}   "
          f"stale publishes {statistics.mean(stale):.1f} per burst")


def busy_row(ed: Editing, repeat: int, copies: int) -> None:
    client, root = ed.client, ed.path.parent
    big, small = root / "big.py", root / "small.py"
    big_text = "\n\n".join([ed.text] + [re.sub(r"\bdef (\w+)", rf"def \1_copy{k}", ed.text)
                                        for k in range(copies - 1)])
    client.notify("textDocument/didOpen", {"textDocument": {
        "uri": big.as_uri(), "languageId": "python", "version": 1, "text": big_text}})
    client.published(big, timeout=1200)
    client.open(small, SMALL)
    times = []
    for i in range(max(3, repeat // 3)):
        client.notify("textDocument/didChange", {
            "textDocument": {"uri": big.as_uri(), "version": 10 + i},
            "contentChanges": [{"text": big_text + f"# edit {i}\n"}]})
        time.sleep(0.05)  # the analysis has started
        start = time.perf_counter()
        request = client.send_request("textDocument/codeAction", {
            "textDocument": {"uri": small.as_uri()},
            "range": {"start": {"line": 7, "character": 0}, "end": {"line": 7, "character": 0}},
            "context": {"diagnostics": [], "only": ["quickfix"]}})
        replied = published = False
        while not (replied and published):  # in either order
            m = client.wait(lambda m: m.get("id") == request or (
                m.get("method") == "textDocument/publishDiagnostics"
                and m["params"]["uri"] == big.as_uri()
                and m["params"].get("version") == 10 + i), timeout=1200)
            if m.get("id") == request:
                replied = True
                times.append(time.perf_counter() - start)
            else:
                published = True
    print(f"{'busy: small request while a big doc runs':<44} {_stats(times)}   "
          f"({big_text.count(chr(10))} lines)")


def measure(args, text: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = pathlib.Path(tmp)
        (root / ".git").mkdir()
        client = Client(root, [args.python, "-m", "fixers.lsp"])
        try:
            client.initialize(root, EDITOR)
            ed = Editing(client, root / "module.py", text)
            print(f"module: {text.count(chr(10))} lines, {len(ed.diags)} findings; "
                  f"load {load()}; python {args.python}")
            if "diagnostics" in args.rows:
                diagnostics_row(ed, args.repeat)
            if "quickfix" in args.rows:
                quickfix_rows(ed, args.repeat)
            if "burst" in args.rows:
                burst_row(ed, args.repeat)
            if "busy" in args.rows:
                busy_row(ed, args.repeat, args.big)
        finally:
            client.close()


if __name__ == "__main__":
    main()
