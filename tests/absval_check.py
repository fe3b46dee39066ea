"""Checks abstract values against real values: every fact the domain claims must be exactly
true of the real value (unknown is always allowed). Used by test_absval.py."""
from __future__ import annotations

import ast
from typing import Any, Optional

import jax
import numpy as np

from jaxloop_lint.analysis.absval import dtypes as dt
from jaxloop_lint.analysis.absval import shapes as sh
from jaxloop_lint.analysis.absval.value import (DICT, NONE, AbsVal, Kind, array, py_bool,
                                                py_float, py_int, py_str, sequence)
from jaxloop_lint.analysis.imports import ImportMap

_PY = {bool: Kind.BOOL, int: Kind.INT, float: Kind.FLOAT, complex: Kind.COMPLEX, str: Kind.STR}


def dtype_name(x) -> str:
    d = x.dtype
    if jax.dtypes.issubdtype(d, jax.dtypes.prng_key):
        return "key<default>"
    return str(d)


def weak_type(x) -> bool:
    aval = getattr(x, "aval", None)
    if aval is not None:
        return bool(getattr(aval, "weak_type", False))
    return bool(getattr(x, "weak_type", False))


def call_traced(fn, inputs: dict, arrays_traced: bool):
    """``fn(**inputs)`` under tracing. With ``arrays_traced`` the array inputs are tracers (as
    under ``jax.jit``); otherwise they are concrete arrays closed over (jnp functions may then
    take their concrete paths, as eagerly). Falls back to running eagerly when tracing raises."""
    if not arrays_traced:
        return traced(lambda: fn(**inputs))
    arrays = {k: v for k, v in inputs.items() if isinstance(v, jax.Array)}
    rest = {k: v for k, v in inputs.items() if k not in arrays}
    box = []

    def wrapper(arrs):
        box.append(fn(**rest, **arrs))
        return 0
    jax.eval_shape(wrapper, arrays)
    return box[0]


def traced(thunk, eager: bool = True):
    """Run ``thunk`` under tracing (shapes only: no compilation, so fast) and return what it
    returns, tracers included; if tracing raises (a value-dependent Python branch), run it
    eagerly. Types and weak flags are the same either way."""
    box = []

    def wrapper():
        box.append(thunk())
        return 0
    try:
        jax.eval_shape(wrapper)
        return box[0]
    except Exception:  # noqa: BLE001 - concretization and the like: eager has the answer
        if not eager:
            raise
        return thunk()


def abstract(x: Any) -> AbsVal:
    """The most precise abstract value of a real one (all facts known)."""
    if isinstance(x, jax.Array):
        return array(dtype_name(x), weak_type(x), tuple(x.shape))
    if x is None:
        return NONE
    if isinstance(x, bool):
        return py_bool(x)
    if isinstance(x, int):
        return py_int(x)
    if isinstance(x, float):
        return py_float(x)
    if isinstance(x, complex):
        return AbsVal(Kind.COMPLEX, value=x)
    if isinstance(x, str):
        return py_str(x)
    if isinstance(x, list):
        return sequence(Kind.LIST, [abstract(v) for v in x])
    if isinstance(x, tuple):
        return sequence(Kind.TUPLE, [abstract(v) for v in x])
    if isinstance(x, dict):
        return DICT
    if isinstance(x, np.dtype):
        return AbsVal(Kind.DTYPE, dtype=str(x))
    raise TypeError(type(x))


class Symbols:
    """Real values of the symbols in abstract values: parameters' types and shapes, static ints.
    A symbol without a real value is not checked (its facts are only compared for equality)."""

    def __init__(self, inputs: dict[str, Any]) -> None:
        self.inputs = inputs

    def dim(self, d) -> Optional[int]:
        if d is None or isinstance(d, int):
            return d
        total = d.const
        for atom, coef in d.terms:
            v = self._atom(atom)
            if v is None:
                return None
            total += coef * v
        return total

    def _atom(self, atom) -> Optional[int]:
        op = atom[0]
        if op == "arg":
            v = self.inputs.get(atom[1])
            return v if isinstance(v, int) and not isinstance(v, bool) else None
        if op == "dim":
            shape = self.shape_atom(atom[1])
            if shape is None or not -len(shape) <= atom[2] < len(shape):
                return None
            return shape[atom[2]]
        return None

    def shape(self, s) -> Optional[tuple]:
        if s is None:
            return None
        if isinstance(s, tuple):
            dims = [self.dim(d) for d in s]
            return None if None in dims else tuple(dims)
        shapes = [self.shape_atom(a) for a in s.atoms]
        if None in shapes:
            return None
        return tuple(np.broadcast_shapes(*shapes))

    def shape_atom(self, atom) -> Optional[tuple]:
        op = atom[0]
        if op == "arg":
            v = self.inputs.get(atom[1])
            return tuple(v.shape) if isinstance(v, jax.Array) else None
        if op == "tuple":
            return self.shape(atom[1])
        if op == "drop":
            inner = self.shape_atom(atom[1])
            return None if inner is None else inner[atom[2]:]
        if op == "pre":
            inner = self.shape_atom(atom[2])
            dims = [self.dim(d) for d in atom[1]]
            return None if inner is None or None in dims else tuple(dims) + inner
        if op == "T":
            inner = self.shape_atom(atom[1])
            return None if inner is None else inner[::-1]
        return None

    def type_of(self, term: dt.TypeTerm):
        """(dtype name, weak) a TypeTerm denotes, computed with real jax from the parameters'
        real types (None if it names something else, e.g. a value on entry to a loop)."""
        sample = self._sample(term)
        if sample is None:
            return None
        return (str(sample.dtype), bool(sample.weak_type))

    def _sample(self, item):
        """A ShapeDtypeStruct (or a Python scalar, for a weak lattice node) of that type."""
        import jax.numpy as jnp
        from jax._src import dtypes as jax_dtypes
        if isinstance(item, str):
            scalar = {"i*": 1, "f*": 0.5, "c*": 1j}.get(item)
            if scalar is not None:
                return scalar
            return jax.ShapeDtypeStruct((), np.dtype(item), weak_type=False)
        if item.op == "arg":
            v = self.inputs.get(item.args[0])
            if not isinstance(v, jax.Array) or dtype_name(v).startswith("key"):
                return None
            return jax.ShapeDtypeStruct((), v.dtype, weak_type=weak_type(v))
        if item.op not in ("lub", "strong", "inexact", "sum", "mean", "numeric", "real", "var",
                           "cumsum"):
            return None  # "entry": a value on entry to a loop
        parts = [self._sample(a) for a in item.args]
        if any(p is None for p in parts):
            return None
        if item.op == "lub":
            dtype, weak = jax_dtypes.lattice_result_type(*[
                p if not isinstance(p, jax.ShapeDtypeStruct) else _ArrayLike(p) for p in parts])
            return jax.ShapeDtypeStruct((), dtype, weak_type=bool(weak))
        if item.op == "strong":
            return jax.ShapeDtypeStruct((), parts[0].dtype, weak_type=False)
        fn = {"inexact": jnp.sqrt, "sum": jnp.sum, "mean": jnp.mean, "numeric": jnp.square,
              "real": jnp.real, "var": jnp.var, "cumsum": lambda x: jnp.cumsum(x[None])}.get(
            item.op)
        if fn is None:
            return None
        out = jax.eval_shape(fn, parts[0])
        return jax.ShapeDtypeStruct((), out.dtype, weak_type=out.weak_type)


class _ArrayLike:
    """What jax's promotion reads of an operand: its dtype and weak flag."""

    def __init__(self, struct) -> None:
        self.dtype, self.weak_type = struct.dtype, struct.weak_type
        self.aval = jax.core.ShapedArray((), struct.dtype, weak_type=struct.weak_type)


def check(v: AbsVal, real: Any, sym: Symbols, where: str = "") -> None:
    """Assert every known fact of ``v`` holds of ``real``."""
    k = v.kind
    if k is Kind.UNKNOWN:
        return
    if k is Kind.ARRAY:
        assert isinstance(real, jax.Array), f"{where}: claimed an array, got {type(real)}"
        if isinstance(v.dtype, str):
            assert dtype_name(real) == v.dtype, f"{where}: dtype {v.dtype} != {real.dtype}"
        elif isinstance(v.dtype, dt.TypeTerm):
            kind = "x" if dtype_name(real).startswith("key") else dt.kind_of(str(real.dtype))
            assert kind in v.dtype.kinds, f"{where}: kind {kind} not in {v.dtype.kinds}"
            known = sym.type_of(v.dtype)
            if known is not None:
                assert known == (dtype_name(real), weak_type(real)), \
                    f"{where}: {v.dtype!r} denotes {known}, really {real.dtype}" \
                    f" weak={weak_type(real)}"
        if v.weak is not None:
            assert weak_type(real) == v.weak, \
                f"{where}: weak {v.weak} != {real.weak_type} ({real.dtype})"
        _check_shape(v.shape, tuple(real.shape), sym, where)
        return
    if k in (Kind.BOOL, Kind.INT, Kind.FLOAT, Kind.COMPLEX, Kind.STR):
        assert type(real) in _PY and _PY[type(real)] is k, \
            f"{where}: claimed a Python {k.value}, got {type(real)}"
        if k is Kind.INT:
            if v.value is not None:
                want = sym.dim(v.value)
                if want is not None:
                    assert real == want, f"{where}: int {want} != {real}"
            if v.lo is not None:
                assert real >= v.lo, f"{where}: {real} < lo {v.lo}"
            if v.hi is not None:
                assert real <= v.hi, f"{where}: {real} > hi {v.hi}"
        elif v.value is not None:
            assert repr(real) == repr(v.value), f"{where}: value {v.value!r} != {real!r}"
        return
    if k is Kind.NONE:
        assert real is None, f"{where}: claimed None, got {type(real)}"
        return
    if k in (Kind.LIST, Kind.TUPLE):
        assert type(real) is (list if k is Kind.LIST else tuple), \
            f"{where}: claimed a {k.value}, got {type(real)}"
        if v.items is not None:
            assert len(real) == len(v.items), f"{where}: length {len(v.items)} != {len(real)}"
            for i, (x, r) in enumerate(zip(v.items, real)):
                check(x, r, sym, f"{where}[{i}]")
        if v.elem is not None:
            for i, r in enumerate(real):
                check(v.elem, r, sym, f"{where}[{i}] (elem)")
        if v.length is not None:
            n = sym.dim(v.length)
            if n is not None:
                assert len(real) == n, f"{where}: length {n} != {len(real)}"
        if isinstance(v.shape, sh.ShapeSym):
            want = sym.shape(v.shape)
            if want is not None:
                assert tuple(real) == want, f"{where}: shape tuple {want} != {real}"
        return
    if k is Kind.DICT:
        assert isinstance(real, dict), where
        return
    if k is Kind.DTYPE:
        if isinstance(v.dtype, str) and not v.dtype.startswith("default:"):
            assert np.dtype(real) == np.dtype(v.dtype), f"{where}: dtype {v.dtype} != {real}"
        return
    raise AssertionError(f"unhandled kind {k}")


def _check_shape(s, real: tuple, sym: Symbols, where: str) -> None:
    if s is None:
        return
    if isinstance(s, tuple):
        assert len(s) == len(real), f"{where}: rank {len(s)} != {len(real)} ({s} vs {real})"
        for i, (d, r) in enumerate(zip(s, real)):
            want = sym.dim(d)
            if want is not None:
                assert want == r, f"{where}: dim {i} {want} != {r}"
        return
    want = sym.shape(s)
    if want is not None:
        assert want == real, f"{where}: shape {want} != {real}"


def imports_of(tree: ast.AST) -> ImportMap:
    imports = ImportMap()
    for node in ast.walk(tree):
        imports.add(node)
    return imports


def check_pairs(values: dict[str, AbsVal], reals: dict[str, Any], where: str = "") -> None:
    """Equal symbolic facts must be equal in reality (what same_type relies on)."""
    from jaxloop_lint.analysis.absval import same_type
    names = [n for n in values if n in reals]
    for i, a in enumerate(names):
        for b in names[i + 1:]:
            verdict = same_type(values[a], values[b])
            if verdict is None:
                continue
            ra, rb = reals[a], reals[b]
            actual = _real_same_type(ra, rb)
            assert verdict == actual, f"{where}: same_type({a}, {b}) = {verdict}, really {actual}"


def _real_same_type(a, b) -> bool:
    if isinstance(a, jax.Array) and isinstance(b, jax.Array):
        return (a.dtype == b.dtype and weak_type(a) == weak_type(b)
                and a.shape == b.shape)
    if isinstance(a, (list, tuple)) and type(a) is type(b):
        return len(a) == len(b) and all(_real_same_type(x, y) for x, y in zip(a, b))
    if isinstance(a, jax.Array) or isinstance(b, jax.Array):
        return False
    return type(a) is type(b)


# -- running a function with its loop instrumented ----------------------------------------------
def snapshot(value, memo=None):
    """A copy of the containers in ``value`` (later mutation must not change a record);
    a list that holds itself is copied once."""
    memo = {} if memo is None else memo
    if id(value) in memo:
        return memo[id(value)]
    if isinstance(value, dict):
        out = memo[id(value)] = {}
        out.update((k, snapshot(v, memo)) for k, v in value.items())
        return out
    if isinstance(value, list):
        out = memo[id(value)] = []
        out.extend(snapshot(v, memo) for v in value)
        return out
    if isinstance(value, tuple):
        return tuple(snapshot(v, memo) for v in value)
    return value


class _Instrument(ast.NodeTransformer):
    """Record ``locals()`` before the loop, at the top and the end of every iteration, and
    after it; optionally rebind the loop counter to a strongly typed int32 (a rewrite's)."""

    def __init__(self, target_loop: int, counter: Optional[str]) -> None:
        self.target_loop = target_loop
        self.counter = counter
        self.seen = -1

    @staticmethod
    def _rec(tag: str) -> ast.stmt:
        return ast.parse(f"__rec({tag!r}, locals())").body[0]

    def _loop(self, node):
        self.seen += 1
        mine = self.seen == self.target_loop
        self.generic_visit(node)
        if not mine:
            return node
        body = [self._rec("head")]
        if self.counter:
            body.append(ast.parse(f"{self.counter} = jnp.asarray({self.counter}, "
                                  "jnp.int32)").body[0])
        body += _RecordContinues().visit_block(node.body) + [self._rec("end")]
        node.body = body
        return [self._rec("start"), node, self._rec("exit")]

    visit_For = visit_While = _loop

    def visit_FunctionDef(self, node):
        if getattr(self, "_entered", False):
            return node  # nested functions are not walked
        self._entered = True
        self.generic_visit(node)
        return node


class _RecordContinues(ast.NodeTransformer):
    def visit_block(self, stmts):
        return [self.visit(s) for s in stmts]

    def visit_Continue(self, node):
        return [_Instrument._rec("end"), node]

    def visit_For(self, node):
        return node  # a nested loop's continue is its own

    visit_While = visit_For

    def visit_FunctionDef(self, node):
        return node


def run_instrumented(src: str, fn_name: str, inputs: dict, loop: int = 0,
                     counter: Optional[str] = None,
                     arrays_traced: bool = False) -> dict[str, list]:
    """Run ``fn_name(**inputs)`` from ``src`` with loop number ``loop`` instrumented; return
    the recorded environments by tag (None if the function raised)."""
    tree = ast.parse(src)
    fn = next(n for n in tree.body if isinstance(n, ast.FunctionDef) and n.name == fn_name)
    _Instrument(loop, counter).visit(fn)
    ast.fix_missing_locations(tree)
    records: dict[str, list] = {"start": [], "head": [], "end": [], "exit": []}

    def rec(tag, env):
        records[tag].append(snapshot(env))
    import jax.numpy as jnp
    namespace = {"__rec": rec, "jax": jax, "jnp": jnp, "np": np, "lax": jax.lax}
    exec(compile(tree, "<program>", "exec"), namespace)
    f = namespace[fn_name]

    def call(**kwargs):
        for v in records.values():
            v.clear()
        return f(**kwargs)
    try:
        call_traced(call, inputs, arrays_traced)
    except Exception:  # noqa: BLE001 - the program itself raises: nothing to compare
        return None
    return records


def check_loop(values, loop_node, records: dict, sym: "Symbols", target_names=(),
               where: str = "", index=None) -> None:
    """The walker's facts about one loop against a real run's records."""
    rec = values.loop(loop_node)
    for real in records["start"] if index is None else ():
        for name, v in rec.start.items():
            if name in real:
                check(v, real[name], sym, f"{where} start {name}")
    for real in records["head"] if index is None else ():
        for name, v in rec.head.items():
            if name in real and name not in target_names:
                check(v, real[name], sym, f"{where} head {name}")
    for real in records["exit"] if index is None else ():
        assert rec.exit is not None, f"{where}: the loop ends"
        for name, v in rec.exit.items():
            if name in real:
                check(v, real[name], sym, f"{where} exit {name}")
    if records["end"]:
        step = values.step(loop_node, index=index)
        assert step is not None, f"{where}: the body completed an iteration"
        first = records["end"][0]
        for name, v in step.items():
            if name in first:
                check(v, first[name], sym, f"{where} step {name}")
        # same_type(start, after one step), with the entry symbols, against the real pair
        from jaxloop_lint.analysis.absval import loop_carry_types, same_type
        names = [n for n in first if n in records["start"][0]]
        types = loop_carry_types(values, loop_node, names, index=index)
        for name, t in types.items():
            after = t.after_one_step if index is None else t.after_one_step_traced_index
            if after is None:
                continue
            check(after, first[name], sym, f"{where} step (entry symbols) {name}")
            verdict = same_type(t.start, after)
            if verdict is not None:
                real = _real_same_type(records["start"][0][name], first[name])
                assert verdict == real, \
                    f"{where}: same_type(start, step) of {name} = {verdict}, really {real}"
