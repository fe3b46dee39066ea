"""The one entry point every front end calls: source (or an ast) in, Diagnostics out."""
from __future__ import annotations

import ast
import io
import tokenize
from typing import Callable, Optional, Sequence, Union

from .analysis.model import analyze
from .analysis.plans import EditPlan, LoopPlan, Refusal
from .config import Config
from .diagnostics import Diagnostic, Fix
from .positions import char_col, physical_lines
from .protected import blocking_loop, protected_loops
from .reasons import headline, headlines
from . import rules


class SourceError(ValueError):
    """The file cannot be analysed. ``str()`` is one line that says why."""


class Cancelled(Exception):
    """The caller's ``stop`` said the result is no longer wanted (the editor's text moved on)."""


def decode(data: bytes) -> str:
    """Decode like the interpreter: PEP 263 coding cookie, UTF-8 BOM, else UTF-8; and refuse
    what the interpreter refuses, with its words."""
    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
        if not _ascii_compatible(encoding):  # `# coding: utf-16`: the cookie itself is ASCII
            raise SourceError(f"syntax error: encoding problem: {encoding}")
        text = data.decode(encoding)
    except (SyntaxError, LookupError, UnicodeDecodeError) as exc:
        raise SourceError(f"cannot decode: {exc}") from None
    reject_null_bytes(text)
    return text[1:] if text.startswith("\ufeff") else text


def reject_null_bytes(text: str) -> None:
    """The interpreter refuses a source with a null byte anywhere (``ast.parse`` says "at line
    None")."""
    null = text.find("\0")
    if null >= 0:
        line = text.count("\n", 0, null) + 1
        raise SourceError(f"syntax error at line {line}: source code cannot contain null bytes")


def _ascii_compatible(encoding: str) -> bool:
    """The interpreter rereads the cookie line's end in the declared encoding and gives up when
    that one byte is not a whole character: utf-16 and utf-32 are refused, cp037 is not."""
    try:
        b"\n".decode(encoding)
    except UnicodeDecodeError:
        return False
    except (LookupError, TypeError):
        pass  # decoding the file fails below with the codec's own reason
    return True


def parse(source: str, path: str = "<string>") -> ast.Module:
    try:
        return ast.parse(source, filename=path)
    except SyntaxError as exc:
        where = f" at line {exc.lineno}" if exc.lineno else ""
        raise SourceError(f"syntax error{where}: {exc.msg}") from None
    except (RecursionError, MemoryError):
        raise SourceError("too deeply nested to parse") from None
    except ValueError as exc:  # e.g. null bytes
        raise SourceError(f"cannot parse: {exc}") from None


def might_use_jax(text: str, extra_jit_decorators: Sequence[str] = ()) -> bool:
    """The cheap gate before parsing: "flax" does not contain "jax". A file that names one of
    the project's own jit-like decorators may be traced without importing jax itself."""
    return ("jax" in text or "flax" in text or "equinox" in text
            or any(_local_name(name) in text for name in extra_jit_decorators))


def _local_name(decorator: str) -> str:
    """``mypkg.compile.my_jit`` is spelled ``my_jit`` or ``compile.my_jit`` in a file."""
    return decorator.rsplit(".", 1)[-1]


def lint_source(source: Union[str, bytes], path: str = "<string>",
                config: Optional[Config] = None,
                stop: Optional[Callable[[], bool]] = None) -> list[Diagnostic]:
    """Lint one file's text. Raises ``SourceError`` for input that cannot be analysed.

    ``stop``: asked between findings; when it says True, ``Cancelled`` is raised."""
    if isinstance(source, bytes):
        source = decode(source)
    else:
        reject_null_bytes(source)
    if not might_use_jax(source, config.extra_jit_decorators if config else ()):
        return []
    return lint_tree(parse(source, path), physical_lines(source), path, config, stop)


def lint_tree(tree: ast.Module, lines: Sequence[str], path: str = "<string>",
              config: Optional[Config] = None,
              stop: Optional[Callable[[], bool]] = None) -> list[Diagnostic]:
    """Lint an already parsed module (flake8 hands plugins the tree and the lines)."""
    config = config or Config()
    try:
        model = analyze(tree, config.extra_jit_decorators, lines, config.flax_api)
        if not model.index.imports.mentions_jax() and not any(
                might_use_jax(line, config.extra_jit_decorators) for line in lines
                if config.extra_jit_decorators):
            return []
        findings = []
        for finding in rules.run(model):  # planning a finding's fix is most of the cost
            if stop is not None and stop():
                raise Cancelled
            findings.append(finding)
    except RecursionError:
        raise SourceError("too deeply nested to analyse") from None
    out = []
    protected = protected_loops(tree, lines) if any(
        isinstance(f.plan, (LoopPlan, EditPlan)) for f in findings) else []
    for f in findings:
        plan = f.plan
        blocked = blocking_loop(plan, protected) if protected else None
        if blocked is not None:  # the finding stands; no front end may rewrite that loop
            plan = Refusal(f"`# noqa` on the loop at line {blocked} keeps every fix out of it")
        line, col = f.node.lineno, char_col(lines, f.node.lineno, f.node.col_offset)
        end_line = getattr(f.node, "end_lineno", None)
        end_col = getattr(f.node, "end_col_offset", None)
        if end_line is not None and end_col is not None:
            end_col = char_col(lines, end_line, end_col)
        message, detail, fix = f.message, f.detail, None
        if isinstance(plan, (LoopPlan, EditPlan)):
            fix = Fix(plan.applicability, plan.description, plan)
            safety = plan.applicability.value
            if plan.notes:
                safety += ": " + headlines(plan.notes)
            message += f"; fix: {plan.target} ({safety})"
            detail += f"\nFix: {plan.description}."
        elif isinstance(plan, Refusal):
            message += f"; no automatic fix: {headline(plan.reason)}"
            detail += f"\nNo automatic fix: {plan.reason}."
        out.append(Diagnostic(f.code, line, col, message, path, end_line, end_col, fix,
                              detail.strip()))
    out.sort(key=lambda d: (d.line, d.col, d.code))
    if all(d.fix is None for d in out):
        model.index.release()  # no plan refers to the analysis: free it without the GC
    return _dedupe(out)


def _dedupe(diags: list[Diagnostic]) -> list[Diagnostic]:
    out, seen = [], set()
    for d in diags:
        key = (d.code, d.line, d.col)
        if key not in seen:
            seen.add(key)
            out.append(d)
    return out
