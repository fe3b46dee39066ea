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

Cost: names and suffixes (most lines) are set lookups; a wildcard pattern is matched one path
component at a time with fnmatch's regexes, which do not backtrack, so no ``.gitignore`` (it
comes with the tree under review) can stall the walk. A file is read up to ``MAX_BYTES``, and
wildcard rules past ``MAX_GLOBS`` in one file are not applied (files they would hide are
checked).
"""
from __future__ import annotations

import fnmatch
import functools
import os
import re
from dataclasses import dataclass
from typing import Optional, Sequence

from jaxloop_lint.files import ReadError, read_regular

MAX_BYTES = 256 * 1024  # a .gitignore comes with the tree under review: read it bounded
MAX_GLOBS = 1000        # wildcard rules per file beyond these are not applied (more is checked)

_WILD = frozenset("*?[\\")
_GLOBSTAR = None  # a "**" component: any number of directories


@dataclass(frozen=True)
class Rule:
    pattern: str    # without "!", the trailing "/" and an anchoring "/"
    negate: bool
    dir_only: bool
    anchored: bool  # matched against the path below the base, else against the name

    @functools.cached_property
    def kind(self) -> str:
        """Most lines are a name (``build``) or a suffix (``*.pyc``): no regex needed."""
        if not _WILD.intersection(self.pattern):
            return "literal"
        if not self.anchored and self.pattern.startswith("*") and not _WILD.intersection(
                self.pattern[1:]):
            return "suffix"
        return "glob"

    @functools.cached_property
    def parts(self) -> tuple[Optional[re.Pattern], ...]:
        """One regex per path component (``_GLOBSTAR`` for ``**``), each matched against one
        name only: no pattern can make the matching backtrack across a whole path."""
        if not self.anchored:
            return (_component(self.pattern),)
        return tuple(_GLOBSTAR if part == "**" else _component(part)
                     for part in self.pattern.split("/"))

    def matches(self, rel: str, name: str) -> bool:
        if self.kind == "literal":
            return (rel if self.anchored else name) == self.pattern
        if self.kind == "suffix":
            return name.endswith(self.pattern[1:])
        if not self.anchored:
            return self.parts[0].match(name) is not None
        return _match_parts(self.parts, rel.split("/"))


def _component(pattern: str) -> re.Pattern:
    """A glob for one name: git's escapes and ``[^...]`` turned into fnmatch's spelling, whose
    regexes do not backtrack (``*a*a*a*b`` on a long name stays fast)."""
    out = []
    i, n = 0, len(pattern)
    while i < n:
        c = pattern[i]
        if c == "\\" and i + 1 < n:
            out.append(f"[{pattern[i + 1]}]" if pattern[i + 1] in "*?[" else pattern[i + 1])
            i += 2
        elif c == "[":
            end = _class_end(pattern, i)
            if end < 0:
                out.append("[[]")
                i += 1
                continue
            body = pattern[i + 1:end]
            if body.startswith("^"):
                body = "!" + body[1:]
            out.append("[" + re.sub(r"\\(.)", r"\1", body) + "]")
            i = end + 1
        else:
            out.append(c)
            i += 1
    return re.compile(fnmatch.translate("".join(out)))


def _class_end(pattern: str, i: int) -> int:
    """The index of the ``]`` closing the class that opens at ``i``, or -1."""
    j = i + 1
    if j < len(pattern) and pattern[j] in "!^":
        j += 1
    if j < len(pattern) and pattern[j] == "]":
        j += 1  # a "]" first is a member
    while j < len(pattern) and pattern[j] != "]":
        j += 2 if pattern[j] == "\\" else 1
    return j if j < len(pattern) else -1


def _match_parts(parts: tuple[Optional[re.Pattern], ...], names: list[str]) -> bool:
    """``parts`` against the components of a path, as a set of positions moved along one name
    at a time: linear in the path. A leading or inner ``**`` matches zero or more directories, a
    trailing one at least one name ("a/**" is what is inside a, not a)."""
    last = len(parts)

    def closure(states: set[int]) -> set[int]:
        todo = list(states)
        while todo:
            i = todo.pop()
            if i < last - 1 and parts[i] is _GLOBSTAR and i + 1 not in states:
                states.add(i + 1)
                todo.append(i + 1)
        return states

    states = closure({0})
    for name in names:
        moved: set[int] = set()
        for i in states:
            if i == last:
                continue
            if parts[i] is _GLOBSTAR:
                moved.add(i)
                if i == last - 1:
                    moved.add(last)
            elif parts[i].match(name):
                moved.add(i + 1)
        if not moved:
            return False
        states = closure(moved)
    return last in states


class IgnoreFile:
    """One file's rules, with a quick test that rules all of them out for most paths."""

    def __init__(self, base: str, rules: tuple[Rule, ...]) -> None:
        self.base = base
        globs = [r for r in rules if r.kind == "glob"]
        too_many = set(map(id, globs[MAX_GLOBS:]))
        self.rules = tuple(r for r in rules if id(r) not in too_many)
        self._names = frozenset(r.pattern for r in rules
                                if not r.anchored and r.kind == "literal")
        self._rels = frozenset(r.pattern for r in rules if r.anchored and r.kind == "literal")
        self._suffixes = tuple(r.pattern[1:] for r in rules if r.kind == "suffix")
        self._others = tuple(globs[:MAX_GLOBS])

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
