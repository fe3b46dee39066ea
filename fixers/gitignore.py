"""``.gitignore`` semantics, without git: which paths a directory walk leaves out.

What is implemented (git's own rules, from ``gitignore(5)``):

* one pattern per line; blank lines and ``#`` comments are skipped; ``\\#`` and ``\\!`` start a
  pattern with a literal ``#`` or ``!``; trailing spaces are dropped unless escaped;
* ``!pattern`` re-includes what an earlier pattern excluded (the last match wins, and deeper
  ``.gitignore`` files come later), but nothing inside an excluded directory comes back: the
  walk never enters it;
* ``pattern/`` matches directories only;
* a pattern with a ``/`` at its start or in its middle is relative to the ``.gitignore``'s
  directory; without one it matches a name at any depth below it;
* ``*`` and ``?`` match within one path component, ``[a-z]`` / ``[!a-z]`` a character from a
  set; a leading ``**/`` matches in every directory, a trailing ``/**`` everything inside, and
  ``/**/`` zero or more directories.

Sources: every ``.gitignore`` from the repository's root (the directory holding ``.git``) down
to the directory being walked, and ``.git/info/exclude``. Outside a repository, only the
``.gitignore`` files below the walked directory. Not read: git's global ``core.excludesFile``
and POSIX character classes such as ``[[:alpha:]]``.
"""
from __future__ import annotations

import functools
import os
import re
from dataclasses import dataclass
from typing import Optional, Sequence

from jaxloop_lint.files import ReadError, read_regular

MAX_BYTES = 1024 * 1024  # a .gitignore comes with the tree under review: read it bounded


_WILD = frozenset("*?[\\")


@dataclass(frozen=True)
class Rule:
    pattern: str    # without "!", the trailing "/" and an anchoring "/"
    negate: bool
    dir_only: bool
    anchored: bool  # matched against the path below the base, else against the name

    @functools.cached_property
    def regex(self) -> re.Pattern:
        return re.compile(_translate(self.pattern) + r"\Z", re.DOTALL)

    @functools.cached_property
    def kind(self) -> str:
        """Most lines are a name (``build``) or a suffix (``*.pyc``): no regex needed."""
        if not _WILD.intersection(self.pattern):
            return "literal"
        if not self.anchored and self.pattern.startswith("*") and not _WILD.intersection(
                self.pattern[1:]):
            return "suffix"
        return "regex"

    def matches(self, rel: str, name: str) -> bool:
        target = rel if self.anchored else name
        if self.kind == "literal":
            return target == self.pattern
        if self.kind == "suffix":
            return target.endswith(self.pattern[1:])
        return self.regex.match(target) is not None


class IgnoreFile:
    """One file's rules, with a quick test that rules all of them out for most paths."""

    def __init__(self, base: str, rules: tuple[Rule, ...]) -> None:
        self.base = base
        self.rules = rules
        self._names = frozenset(r.pattern for r in rules
                                if not r.anchored and r.kind == "literal")
        self._rels = frozenset(r.pattern for r in rules if r.anchored and r.kind == "literal")
        self._suffixes = tuple(r.pattern[1:] for r in rules if r.kind == "suffix")
        self._others = tuple(r for r in rules if r.kind == "regex")

    def may_match(self, rel: str, name: str) -> bool:
        return (name in self._names or rel in self._rels or name.endswith(self._suffixes)
                or any(r.matches(rel, name) for r in self._others))


def parse(text: str, base: str) -> IgnoreFile:
    rules = []
    for line in text.splitlines():
        rule = compile_rule(line)
        if rule is not None:
            rules.append(rule)
    return IgnoreFile(base, tuple(rules))


def load(directory: str, name: str = ".gitignore") -> Optional[IgnoreFile]:
    """``directory/name`` parsed, or ``None`` if it is absent, not a regular file or unreadable
    (a FIFO named .gitignore must not stall the walk)."""
    try:
        data, _ = read_regular(os.path.join(directory, name), MAX_BYTES)
    except ReadError:
        return None
    ignore = parse(data.decode("utf-8", "replace"), directory)
    return ignore if ignore.rules else None


def compile_rule(line: str) -> Optional[Rule]:
    line = _strip_trailing_spaces(line.rstrip("\r"))
    if not line or line.startswith("#"):
        return None
    negate = line.startswith("!")
    if negate:
        line = line[1:]
    elif line.startswith(("\\!", "\\#")):
        line = line[1:]
    dir_only = line.endswith("/")
    line = line.rstrip("/")
    if not line:
        return None
    anchored = "/" in line
    return Rule(line.lstrip("/") if anchored else line, negate, dir_only, anchored)


def _strip_trailing_spaces(line: str) -> str:
    stripped = line.rstrip(" ")
    if stripped.endswith("\\") and len(stripped) < len(line):
        return stripped + " "  # "foo\ " keeps one escaped space
    return stripped


def _translate(pattern: str) -> str:
    """A wildmatch pattern (``*`` and ``?`` stop at ``/``) as a regular expression."""
    out = []
    i, n = 0, len(pattern)
    while i < n:
        c = pattern[i]
        if c == "*":
            j = i
            while j < n and pattern[j] == "*":
                j += 1
            stars = j - i
            at_start = i == 0 or pattern[i - 1] == "/"
            at_end = j == n or pattern[j] == "/"
            if stars >= 2 and at_start and at_end:
                if j == n:
                    out.append(".*")                 # "a/**": everything inside
                    i = j
                else:
                    out.append("(?:.*/)?")           # "**/a", "a/**/b": any directories
                    i = j + 1
            else:
                out.append("[^/]*")
                i = j
        elif c == "?":
            out.append("[^/]")
            i += 1
        elif c == "[":
            cls, i = _bracket(pattern, i)
            out.append(cls)
        elif c == "\\" and i + 1 < n:
            out.append(re.escape(pattern[i + 1]))
            i += 2
        else:
            out.append(re.escape(c))
            i += 1
    return "".join(out)


def _bracket(pattern: str, i: int) -> tuple[str, int]:
    """``[...]`` starting at ``pattern[i]``: a regex class that never matches ``/``, and the
    index after it. A ``[`` without its ``]`` is literal."""
    n = len(pattern)
    j = i + 1
    negate = j < n and pattern[j] in "!^"
    if negate:
        j += 1
    members: list[str] = []
    while j < n and (pattern[j] != "]" or not members):
        c = pattern[j]
        if c == "\\" and j + 1 < n:
            members.append(re.escape(pattern[j + 1]))
            j += 2
        elif c == "-" and members and j + 1 < n and pattern[j + 1] != "]":
            members.append("-")  # a range: the members on each side are its ends
            j += 1
        else:
            members.append(re.escape(c))
            j += 1
    if j >= n:
        return re.escape("["), i + 1
    body = "".join(members)
    return (f"[^/{body}]" if negate else f"(?!/)[{body}]"), j + 1


def ignored(stack: Sequence[IgnoreFile], path: str, is_dir: bool) -> bool:
    """Whether the last pattern of ``stack`` (outermost first) that matches the absolute
    ``path`` excludes it."""
    verdict = False
    name = os.path.basename(path)
    for ignore in stack:
        base = ignore.base.rstrip(os.sep) + os.sep
        if not path.startswith(base):
            continue
        rel = path[len(base):].replace(os.sep, "/")
        if not ignore.may_match(rel, name):
            continue
        for rule in ignore.rules:
            if (is_dir or not rule.dir_only) and rule.matches(rel, name):
                verdict = not rule.negate
    return verdict


def repository_root(directory: str) -> Optional[str]:
    """The nearest directory at or above ``directory`` that holds ``.git``."""
    d = os.path.abspath(directory)
    while True:
        if os.path.lexists(os.path.join(d, ".git")):
            return d
        parent = os.path.dirname(d)
        if parent == d:
            return None
        d = parent


def above(directory: str) -> list[IgnoreFile]:
    """The ignore files that apply to ``directory``'s contents from above it: the repository's
    ``.git/info/exclude`` and every ``.gitignore`` from the root down to ``directory``'s
    parent (its own is read when the walk enters it)."""
    directory = os.path.abspath(directory)
    root = repository_root(directory)
    if root is None:
        return []
    stack = []
    info = load(os.path.join(root, ".git", "info"), "exclude")
    if info is not None:
        stack.append(IgnoreFile(root, info.rules))
    rel = os.path.relpath(directory, root)
    parts = [] if rel == "." else rel.split(os.sep)
    for k in range(len(parts)):  # root, root/a, ... down to directory's parent
        ignore = load(os.path.join(root, *parts[:k]))
        if ignore is not None:
            stack.append(ignore)
    return stack
