"""Random but valid, runnable JAX loop programs, built from parts.

A program is a module with one traced entry point (a ``@jax.jit`` function ``f`` or an nnx
``Model.__call__``) whose body holds a Python loop: 1-3 carried float variables (scalar or
vector), appends stacked on axis 0 or 1, index arithmetic, ``zip`` / ``enumerate`` /
``reversed``, ``range(a, b, step)`` with negative steps, a nested loop, ``break`` / ``continue``
on traced conditions, ``while`` on a traced condition. The module ends with ``make_args(T)``
(tiny shapes) so it can be run as it is, eagerly or under jit.

The generator draws through a ``Chooser``, so the same code serves Hypothesis (``programs()``,
shrinkable) and the long campaign (``from_seed(n)``, reproducible from one integer).

``hazards=True`` adds one or two of issue 12's traps (tests/loophazards.py) to each program,
drawn after every other choice: the same seed gives the same program plus the hazard lines.
``Program.grad`` and ``Program.raise_note`` then say how a fix of it is judged.
"""
from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import Callable, Sequence

D = 3  # the feature size of every vector: keep programs cheap to run


@dataclass
class Program:
    source: str
    entry: str                      # "f" or "Model.__call__"
    trip_count: int
    features: tuple[str, ...]
    grad: bool = False              # compare reverse-mode gradients too
    # errors an unsafe fix may raise -> words its note must contain (tests/hazardcheck.py)
    raise_note: dict = field(default_factory=dict)


class Chooser:
    """Where the generator's choices come from."""

    def __init__(self, pick: Callable[[Sequence], object]):
        self.pick = pick

    def choice(self, options: Sequence):
        return self.pick(list(options))

    def chance(self) -> bool:
        return bool(self.choice([False, True]))

    def integer(self, lo: int, hi: int) -> int:
        return self.choice(range(lo, hi + 1))


# --------------------------------------------------------------------------------------------
# Loop headers: what the loop iterates over and which row/index expressions its body may use


@dataclass
class Header:
    kind: str
    line: str                       # "for x in xs:"
    rows: list[str]                 # expressions of shape (D,) available in the body
    index: str | None = None        # a Python/traced int loop variable, if any
    needs: set[str] = field(default_factory=set)    # extra arguments (ys, n)
    counter: str | None = None      # while loops: the carried int counter
    is_while: bool = False


def _headers(c: Chooser) -> Header:
    kind = c.choice(["for_x", "reversed", "enumerate", "enumerate_reversed", "zip",
                     "zip_enumerate", "range_shape", "range_len", "range_from1", "range_step",
                     "range_negative", "range_traced", "while"])
    if kind == "for_x":
        return Header(kind, "for x in xs:", ["x"])
    if kind == "reversed":
        return Header(kind, "for x in reversed(xs):", ["x"])
    if kind == "enumerate":
        return Header(kind, "for i, x in enumerate(xs):", ["x", "xs[i]"], index="i")
    if kind == "enumerate_reversed":
        return Header(kind, "for i, x in enumerate(reversed(xs)):", ["x"], index="i")
    if kind == "zip":
        return Header(kind, "for x, y in zip(xs, ys):", ["x", "y", "x * y"], needs={"ys"})
    if kind == "zip_enumerate":
        return Header(kind, "for i, (x, y) in enumerate(zip(xs, ys)):", ["x", "y"], index="i",
                      needs={"ys"})
    if kind == "range_shape":
        return Header(kind, "for i in range(xs.shape[0]):", ["xs[i]"], index="i")
    if kind == "range_len":
        return Header(kind, "for i in range(len(xs)):", ["xs[i]"], index="i")
    if kind == "range_from1":   # xs[i - 1] is guarded by the start
        return Header(kind, "for i in range(1, xs.shape[0]):", ["xs[i]", "xs[i - 1]",
                                                                "xs[i] - xs[i - 1]"], index="i")
    if kind == "range_step":
        step = c.choice([2, 3])
        return Header(kind, f"for i in range(0, xs.shape[0], {step}):", ["xs[i]"], index="i")
    if kind == "range_negative":
        stop = c.choice(["-1", "0"])
        return Header(kind, f"for i in range(xs.shape[0] - 1, {stop}, -1):", ["xs[i]"],
                      index="i")
    if kind == "range_traced":
        return Header(kind, "for i in range(n):", ["xs[i]"], index="i", needs={"n"})
    return Header(kind, "", ["xs[k]"], index="k", needs={"n"}, counter="k", is_while=True)


# --------------------------------------------------------------------------------------------
# Carried variables and body statements


@dataclass
class Carry:
    name: str
    vector: bool
    init: str


def _carries(c: Chooser, names: list[str]) -> list[Carry]:
    out = []
    for name in names[:c.integer(1, 3)]:
        vector = c.chance()
        if vector:
            init = c.choice(["jnp.zeros(3)", "jnp.ones(3) * 0.5", "h0"])
        else:
            init = c.choice(["jnp.zeros(())", "jnp.float32(1.0)", "0.0"])
        out.append(Carry(name, vector, init))
    return out


def _update(c: Chooser, carry: Carry, row: str, header: Header, others: list[Carry],
            w: str) -> str:
    n = carry.name
    if carry.vector:
        forms = [f"{n} = jnp.tanh({w} @ {n} + {row})", f"{n} = {n} * 0.5 + {row}",
                 f"{n} = jnp.maximum({n}, {row})", f"{n} = {n} + {row} * 0.25"]
        forms += [f"{n} = {n} + {o.name} * 0.1" for o in others if o.name != n]
    else:
        forms = [f"{n} = {n} * 0.9 + jnp.sum({row}) * 0.1", f"{n} = jnp.tanh({n} + jnp.mean({row}))",
                 f"{n} = {n} + jnp.max({row})"]
        forms += [f"{n} = {n} + jnp.sum({o.name}) * 0.1" for o in others if o.name != n]
        if header.index is not None:
            forms.append(f"{n} = {n} + {header.index} * 0.5")
    return c.choice(forms)


def _cond(c: Chooser, row: str) -> str:
    return c.choice([f"jnp.sum({row}) > 1.0", f"{_atom(row)}[0] < -0.5", f"jnp.max({row}) > 1.2"])


def _atom(expr: str) -> str:
    """``expr`` ready for a suffix (``[0]``, ``.shape``)."""
    return f"({expr})" if " " in expr else expr


def _indent(lines: list[str], depth: int) -> list[str]:
    return ["    " * depth + line for line in lines]


def build(c: Chooser, hazards: bool = False) -> Program:
    """One program. ``hazards``: also add one or two of tests/loophazards.py's hazards (drawn
    after every other choice, so a seed gives the same base program either way)."""
    nnx_module = c.choice([False, False, True])
    header = _headers(c)
    features = [header.kind] + (["nnx"] if nnx_module else [])
    w = "self.w" if nnx_module else "w"
    carries = _carries(c, ["h", "s", "acc"])
    uses = {"xs"} | header.needs
    if any(k.init == "h0" for k in carries):
        uses.add("h0")

    body: list[str] = []
    pre: list[str] = [f"{k.name} = {k.init}" for k in carries]
    if header.is_while:
        pre.append("k = 0")
    outs: list[tuple[str, str, bool]] = []      # (list name, stacked expr, vector?)
    control = c.choice([None, None, "break", "continue"])
    if header.is_while and control:
        control = None
    temp = c.chance()
    if temp:
        body.append(f"t = {c.choice(header.rows)} * 0.5")
    rows = header.rows + (["t"] if temp else [])

    def guard():
        return [f"if {_cond(c, c.choice(rows))}:", f"    {control}"]

    updates = [_update(c, k, c.choice(rows), header, carries, w) for k in carries]
    if c.chance():
        features.append("nested")
        target = c.choice(carries)
        inner = c.choice(["for v in ROW:", "for j in range(ROW.shape[0]):"]).replace(
            "ROW", _atom(c.choice(rows)))
        var = "v" if inner.startswith("for v") else _atom(c.choice(rows)) + "[j]"
        updates += [inner, f"    {target.name} = {target.name} + {var} * 0.5"]
    appends = []
    for name in ["outs", "hs"][:c.choice([0, 1, 1, 2])]:
        vec = c.chance()
        item = c.choice([k.name for k in carries if k.vector == vec] or
                        ([f"{c.choice(rows)} * 2.0"] if vec else [f"jnp.sum({c.choice(rows)})"]))
        pre.append(f"{name} = []")
        appends.append(f"{name}.append({item})")
        axis = c.choice([0, 1]) if vec else 0
        outs.append((name, f"jnp.stack({name})" if axis == 0 else f"jnp.stack({name}, axis=1)",
                     vec))
        features.append(f"append_axis{axis}")
    # Every run appends at least once (the appends come before any break or continue), so the
    # original never stacks an empty list.
    stop: list[str] = []                        # a `break` guard: the end of the body
    if control == "continue":
        body += appends + guard() + updates
    elif control == "break":
        body += updates + appends
        stop = guard()
    else:
        body += updates + appends
    if control:
        features.append(control)
    tail: list[str] = []
    if header.is_while:
        tail.append("k = k + 1")
        guard_carry = c.choice(carries)
        loop_line = c.choice(["while k < n:",
                              f"while (k < n) & (jnp.sum({guard_carry.name}) < 50.0):"])
        if "&" in loop_line:
            features.append("while_float_condition")
    else:
        loop_line = header.line
    after: list[str] = []
    if c.chance():      # a second loop in the same function: fresh names must not collide
        features.append("two_loops")
        k = c.choice(carries)
        row = c.choice(["z", "jnp.sum(z)"]) if k.vector else "jnp.sum(z)"
        after = ["for z in xs:", f"    {k.name} = {k.name} * 0.5 + {row} * 0.1"]
    results = [k.name for k in carries] + [expr for _, expr, _ in outs]
    if c.choice([False, False, False, True]):   # a name set in the loop, read after it
        features.append("read_after_loop")
        results.append(c.choice((["t"] if temp else []) + [header.line.split()[1].strip(",")
                                                           if not header.is_while else "k"]))
    ret = c.choice(["tuple", "single", "dict"]) if len(results) > 1 else "single"
    # these headers run no step at T=1
    T = c.integer(2 if header.kind in ("range_from1", "range_negative") else 1, 5)

    parts = []
    if hazards:
        import loophazards

        target = carries[0]
        loop_var = "x" if "x" in header.rows else header.index
        site = loophazards.Site(target.name, target.vector, c.choice(rows), loop_var,
                                None if header.is_while else header.index, header.kind,
                                control, nnx_module, loop_line == "while k < n:")
        parts = loophazards.choose(c, site)
    for part in parts:
        features.append(part.name)
        pre += part.pre
        body = part.body + body if part.first else body + part.body
        after += part.after
        results += part.results
        uses |= part.uses
        if part.loop_line:
            loop_line = part.loop_line
        if part.walrus:
            tail.remove("k = k + 1")
            body = [line.replace("xs[k]", "xs[k - 1]") for line in body]
        if part.guard:
            at = next(i for i, line in enumerate(body) if line.startswith("if ")
                      and body[i + 1].strip() == "continue")
            body[at] = f"if {part.guard}:"
    body += stop + tail
    syntax = [p.syntax for p in parts if p.syntax]
    loop = [loop_line] + _indent(body, 1)
    if syntax:
        loop = _styled(loop_line, body, syntax[0])

    if ret in ("single", "tuple"):
        ret_line = f"return {', '.join(results)}"
    else:
        ret_line = "return {" + ", ".join(f"'r{i}': {r}" for i, r in enumerate(results)) + "}"

    fn_body = pre + loop + after + [ret_line]
    if "w @" in " ".join(body) and not nnx_module:
        uses.add("w")
    order = [a for a in ("xs", "ys", "w", "h0", "n") if a in uses]
    src = ["import jax", "import jax.numpy as jnp", "import numpy as np"]
    module = [line for p in parts if p.module for line in p.module + ["", ""]]
    if module:
        src += ["", ""] + module[:-2]
    if nnx_module:
        src += ["from flax import nnx"] if not module else []
        src += ["", "", "class Model(nnx.Module):",
                "    def __init__(self, rngs: nnx.Rngs):",
                "        self.w = nnx.Param(jax.random.normal(rngs.params(), (3, 3)) * 0.3)"]
        src += _indent([line for p in parts for line in p.init], 2)
        src += ["", f"    def __call__(self, {', '.join(a for a in order if a != 'w')}):"]
        src += _indent(fn_body, 2)
        for p in parts:
            if p.methods:
                src += [""] + _indent(p.methods, 1)
        entry = "Model.__call__"
    else:
        src += ["", "", "@jax.jit", f"def f({', '.join(order)}):"] + _indent(fn_body, 1)
        entry = "f"
    if nnx_module and module:       # nnx imported after the hazards' module-level lines
        src.insert(3, "from flax import nnx")
    src += ["", "", "def make_args(T):", "    rng = np.random.default_rng(T)",
            "    def arr(*shape):",
            "        return jnp.asarray(rng.standard_normal(shape), jnp.float32)"]
    short = any(p.short_ys for p in parts)
    values = {"xs": "arr(T, 3)", "ys": "arr(max(T - 1, 1), 3)" if short else "arr(T, 3)",
              "w": "arr(3, 3) * 0.3", "h0": "arr(3)", "n": "jnp.int32(T)"}
    args = [values[a] for a in order if not (nnx_module and a == "w")]
    if nnx_module:
        args.insert(0, "Model(nnx.Rngs(0))")
    src.append(f"    return ({', '.join(args)},)")
    raise_note = {}
    for p in parts:
        raise_note.update(p.raise_note)
    return Program("\n".join(src) + "\n", entry, T, tuple(features),
                   grad=any(p.grad for p in parts), raise_note=raise_note)


def _styled(loop_line: str, body: list[str], kind: str) -> list[str]:
    """The loop in an odd but valid syntax: one line, statements joined by `;`, or comments
    and blank lines in the body."""
    simple = [i for i, line in enumerate(body) if not line.endswith(":")
              and not line.startswith(" ") and (i == 0 or not body[i - 1].endswith(":"))]
    if kind == "one_line" and len(simple) == len(body):
        return [f"{loop_line} {'; '.join(body)}"]
    if kind in ("one_line", "semicolons"):
        pair = next((i for i in simple if i + 1 in simple), None)
        if pair is not None:
            body = body[:pair] + [f"{body[pair]}; {body[pair + 1]}"] + body[pair + 2:]
        return [loop_line] + _indent(body, 1)
    return ([f"{loop_line}  # one step", "    # the body"] + _indent(body[:1], 1) + [""]
            + _indent(body[1:], 1) + ["    # end of the step"])


# --------------------------------------------------------------------------------------------
# Sources of choices


def from_seed(seed: int, hazards: bool = False) -> Program:
    """The campaign's generator: one program per integer, reproducible."""
    rng = random.Random(seed)
    return build(Chooser(rng.choice), hazards)


def programs(hazards: bool = False):
    """A Hypothesis strategy of ``Program`` (shrinks towards the first option of each choice)."""
    from hypothesis import strategies as st

    @st.composite
    def _programs(draw):
        return build(Chooser(lambda options: draw(st.sampled_from(options))), hazards)

    return _programs()
