"""Random small JAX programs for the abstract-value soundness check (test_absval.py).

A program is built one statement at a time from hypothesis' choices; each candidate statement
is kept only if the program with it runs (traced, so without compiling), so every kept program
is one real jax accepts. Statements: assignments, augmented assignments, list appends, ``if``
on Python values, ``for`` over arrays, lists, ``range`` and ``enumerate`` (with ``break`` /
``continue``), and one ``while`` form.
"""
from __future__ import annotations

import jax
import jax.numpy as jnp
from hypothesis import strategies as st

from absval_check import traced

PARAMS = ("a", "b", "c", "i", "m", "xs", "cs", "k", "w", "wv", "bs", "flag", "n", "f", "lst",
          "key")


def real_inputs() -> dict:
    return {
        "a": jnp.arange(3, dtype=jnp.float32) + 1, "b": jnp.ones(3, jnp.bfloat16),
        "c": jnp.arange(3, dtype=jnp.int8), "i": jnp.arange(3, dtype=jnp.int32),
        "m": jnp.ones((2, 3), jnp.float32), "xs": jnp.ones((4, 3), jnp.float32),
        "cs": jnp.ones((4, 3), jnp.int8), "k": jnp.int32(1), "w": jnp.asarray(1.0),
        "wv": jnp.full((3,), 2.0), "bs": jnp.array([True, False, True]), "flag": True, "n": 3,
        "f": 0.5, "lst": [jnp.ones(3), jnp.zeros(3)], "key": jax.random.PRNGKey(0),
    }


LITERALS = ["0", "1", "2", "0.5", "True", "n", "f", "flag", "k", "w", "-1", "3.0"]
CONSTRUCTORS = [
    "jnp.zeros(3)", "jnp.zeros((2, 3), jnp.bfloat16)", "jnp.ones((), jnp.int8)",
    "jnp.array(1.0)", "jnp.array(2)", "jnp.float32(1.0)", "jnp.arange(n)", "jnp.full((3,), 0.5)",
    "jnp.zeros(n, jnp.int32)", "jnp.asarray(0.0)", "jax.random.normal(key, (3,))",
    "jnp.arange(3.0)", "jnp.zeros_like(xs[0])", "jnp.zeros(xs.shape[1:], xs.dtype)", "[]",
    "(a, c)", "None", "'s'", "jnp.int8(3)", "jnp.array([1, 2, 3])",
]
UNARY = [
    "jnp.exp({})", "jnp.tanh({})", "jnp.sqrt({})", "jnp.abs({})", "jnp.square({})",
    "jnp.floor({})", "-{}", "~{}", "not {}", "jax.nn.relu({})", "jax.nn.sigmoid({})",
    "jax.nn.softmax({})", "jnp.cumsum({})", "jnp.argmax({})", "jnp.sum({})", "jnp.mean({})",
    "jnp.max({})", "jnp.zeros_like({})", "jnp.ones_like({})", "jnp.asarray({})",
    "jnp.array({})", "jnp.ravel({})", "jnp.isnan({})", "jnp.sign({})", "len({})", "float({})",
    "int({})", "abs({})", "{}.sum()", "{}.sum(axis=0)", "{}.sum(axis=-1)", "{}.mean()",
    "{}.max(axis=0)", "{}.T", "{}[0]", "{}[1:]", "{}[:, 0]", "{}[None]", "{}[::-1]",
    "{}.reshape(-1)", "{}.astype(jnp.int8)", "{}.astype(jnp.bfloat16)", "{}.astype(float)",
    "{}.shape", "{}.shape[0]", "{}.ndim", "{}[k]", "{}[..., 0]", "{}.cumsum()", "{}.any()",
    "{}.at[0].set(1)", "jnp.stack([{0}, {0}])", "jnp.pad({}, 1)", "jnp.pad({}, (0, 1))",
    "({},)", "[{}]", "jnp.expand_dims({}, 0)", "jax.nn.one_hot({}, 4)",
    "jnp.asarray({}, jnp.int32)", "{}.astype({}.dtype)", "{}[-1]", "tuple({})", "list({})",
]
BINARY = [
    "{} + {}", "{} - {}", "{} * {}", "{} / {}", "{} // {}", "{} % {}", "{} ** {}", "{} @ {}",
    "{} & {}", "{} | {}", "{} < {}", "{} == {}", "{} >= {}", "jnp.maximum({}, {})",
    "jnp.minimum({}, {})", "jnp.where(bs, {}, {})", "jnp.stack([{}, {}])",
    "jnp.concatenate([{}, {}])", "jnp.full_like({}, {})", "jnp.dot({}, {})",
    "jnp.outer({}, {})", "jnp.clip({}, {}, 2)", "({}, {})", "{} if flag else {}",
    "{} if n > 2 else {}", "{} and {}", "{} or {}", "jnp.power({}, {})", "lax.add({}, {})",
    "{}.at[0].add({})", "jnp.zeros({}, {}.dtype)", "jnp.full((3,), {}, {}.dtype)",
    "[{}, {}]", "{}[1:] + [{}]", "max({}, {})", "min({}, {})",
]
TESTS = ["flag", "n > 2", "f > 1.0", "{} is None", "len(lst) > 1", "{}.ndim > 1", "not flag",
         "k > 0", "{}", "isinstance({}, float)"]
LOOPS = ["for x in xs:", "for x in cs:", "for i in range(n):", "for i, x in enumerate(xs):",
         "for y in lst:", "for x in xs[1:]:", "for i in range(1, n, 2):", "for x in m:",
         "for x, y in zip(xs, cs):"]


class Builder:
    """Draws a program statement by statement, keeping only statements that run."""

    def __init__(self, data) -> None:
        self.data = data
        self.lines: list[str] = []
        self.names = list(PARAMS) + ["out"]
        self.fresh = ["v0", "v1", "v2", "v3", "acc", "h", "out"]

    def draw(self, options, label=None):
        return self.data.draw(st.sampled_from(options), label=label)

    def operand(self, extra=()) -> str:
        pool = self.names + list(extra)
        kind = self.draw(["name", "name", "name", "literal", "constructor"])
        if kind == "name":
            return self.draw(pool)
        if kind == "literal":
            return self.draw(LITERALS)
        return self.draw(CONSTRUCTORS)

    def expr(self, depth: int = 2, extra=()) -> str:
        shape = self.draw(["operand", "unary", "binary"] if depth else ["operand"])
        if shape == "operand":
            return self.operand(extra)
        if shape == "unary":
            template = self.draw(UNARY)
            inner = self.expr(depth - 1, extra)
            return template.format(inner, inner) if "{0}" not in template else \
                template.format(inner)
        template = self.draw(BINARY)
        return template.format(self.expr(depth - 1, extra), self.expr(depth - 1, extra))

    def statement(self, indent: str, extra=(), allow_compound=True, in_loop=False) -> list[str]:
        kinds = ["assign", "assign", "assign", "aug", "append", "mutate"]
        if allow_compound:
            kinds += ["if", "for", "while", "try", "with"]
        if in_loop:
            kinds += ["break", "continue"]
        kind = self.draw(kinds)
        target_pool = self.fresh + [n for n in self.names if n not in PARAMS]
        if kind == "assign":
            target = self.draw(target_pool + ["v0, v1"])
            return [f"{indent}{target} = {self.expr(2, extra)}"]
        if kind == "aug":
            target = self.draw(target_pool)
            op = self.draw(["+", "-", "*", "/", "|"])
            return [f"{indent}{target} {op}= {self.expr(1, extra)}"]
        if kind == "append":
            return [f"{indent}out.append({self.expr(1, extra)})"]
        if kind == "mutate":
            holder = self.draw(["out"] + [n for n in target_pool if n in self.names])
            form = self.draw(["{}.append({})", "{}.extend(lst)", "{}[0] = {}", "{}.pop()",
                              "{} += [{}]", "{}.insert(0, {})", "del {}[0]", "{}.clear()"])
            return [indent + form.format(holder, self.expr(1, extra))]
        if kind == "try":
            lines = [f"{indent}try:"] + self.statement(indent + "    ", extra, False, in_loop)
            lines += self.statement(indent + "    ", extra, False, in_loop)
            lines += [f"{indent}except Exception:"] + self.statement(indent + "    ", extra,
                                                                     False, in_loop)
            if self.draw([True, False]):
                lines += [f"{indent}finally:"] + self.statement(indent + "    ", extra, False,
                                                                in_loop)
            return lines
        if kind == "with":
            manager = self.draw(["jax.named_scope('s')", "contextlib.suppress(Exception)"])
            return [f"{indent}with {manager}:"] + \
                self.statement(indent + "    ", extra, False, in_loop) + \
                self.statement(indent + "    ", extra, False, in_loop)
        if kind in ("break", "continue"):
            return [f"{indent}if {self.test(extra)}:", f"{indent}    {kind}"]
        if kind == "if":
            lines = [f"{indent}if {self.test(extra)}:"]
            lines += self.statement(indent + "    ", extra, False, in_loop)
            if self.draw([True, False]):
                lines += [f"{indent}else:"] + self.statement(indent + "    ", extra, False,
                                                             in_loop)
            return lines
        if kind == "while":
            body = self.statement(indent + "    ", extra + ("j",), False, True)
            # the counter moves first, so a ``continue`` cannot make the loop endless
            return [f"{indent}j = 0", f"{indent}while j < n:", f"{indent}    j = j + 1"] + body
        header = self.draw(LOOPS)
        targets = {"for x in": ("x",), "for i in": ("i",), "for i, x": ("i", "x"),
                   "for y in": ("y",), "for x, y": ("x", "y")}
        bound = next(v for k, v in targets.items() if header.startswith(k))
        body = []
        for _ in range(self.draw([1, 2, 3])):
            body += self.statement(indent + "    ", extra + bound, self.draw([True, False]),
                                   True)
        return [f"{indent}{header}"] + body

    def test(self, extra) -> str:
        template = self.draw(TESTS)
        return template.format(self.draw(self.names + list(extra)))

    def source(self, lines=None) -> str:
        body = "\n".join(["    out = []"] + (self.lines if lines is None else lines))
        return f"def prog({', '.join(PARAMS)}):\n{body}\n    return None\n"

    def build(self, steps: int, runs) -> str:
        for _ in range(steps):
            candidate = self.statement("    ")
            if runs(HEADER + self.source(self.lines + candidate)):
                self.lines += candidate
                for line in candidate:
                    stripped = line.strip()
                    if "=" in stripped and not stripped.startswith(("if", "for", "while")):
                        left = stripped.split("=")[0].rstrip("+-*/| ")
                        for name in left.replace(",", " ").split():
                            if name.isidentifier() and name not in self.names:
                                self.names.append(name)
        return HEADER + self.source()


HEADER = ("import contextlib\nimport jax\nimport jax.numpy as jnp\nimport numpy as np\n"
          "from jax import lax\n")


def runs(src: str, inputs: dict) -> bool:
    namespace: dict = {}
    try:
        exec(compile(src, "<candidate>", "exec"), namespace)
        traced(lambda: namespace["prog"](**inputs))
        return True
    except Exception:  # noqa: BLE001 - the candidate is not a valid program
        return False
