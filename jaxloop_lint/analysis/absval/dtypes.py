"""JAX's dtype promotion, reproduced without importing jax, plus symbolic dtypes.

A value's JAX *type* is its dtype together with its weak-type flag. Promotion works on a lattice
whose nodes are the concrete dtypes and three weak kinds (``i*``, ``f*``, ``c*``: Python ints,
floats, complexes and the weakly typed arrays made from them). A binary ``jnp`` operation takes
the least upper bound of its operands' nodes; a weak kind in the result means "the default dtype
of that kind, weakly typed". With x64 off (JAX's default), 64-bit results become 32-bit.

A *symbolic* type (``TypeTerm``) stands for a type the code does not spell out, such as "the
type of argument ``h``", and the results of operations on such types. Two equal terms denote the
same dtype and weak flag in every execution: each operation is a function of its operands' types.

One assumption, stated in docs/design/abstract-values.md: a weakly typed array has the default
dtype of its kind (or is bool). Every public JAX operation that makes a weak array makes one of
those; only private APIs make others.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable, Optional, Union

from .limits import too_big

# -- the lattice (jax/_src/dtypes.py's _type_promotion_lattice) ---------------------------------
_EDGES = {
    "bool": ("i*",),
    "i*": ("uint8", "int8"),
    "uint8": ("int16", "uint16"), "uint16": ("int32", "uint32"), "uint32": ("int64", "uint64"),
    "uint64": ("f*",),
    "int8": ("int16",), "int16": ("int32",), "int32": ("int64",), "int64": ("f*",),
    "f*": ("bfloat16", "float16", "c*"),
    "bfloat16": ("float32",), "float16": ("float32",), "float32": ("float64", "complex64"),
    "float64": ("complex128",),
    "c*": ("complex64",), "complex64": ("complex128",), "complex128": (),
}


def _upper_sets() -> dict[str, frozenset[str]]:
    out: dict[str, frozenset[str]] = {}

    def up(node: str) -> frozenset[str]:
        if node not in out:
            acc = {node}
            for nxt in _EDGES[node]:
                acc |= up(nxt)
            out[node] = frozenset(acc)
        return out[node]
    for node in _EDGES:
        up(node)
    return out


_UPPER = _upper_sets()
LATTICE = frozenset(_EDGES)
WEAK_NODES = {"i*": "i", "f*": "f", "c*": "c"}

# Kind letters: b bool, i signed int, u unsigned int, f float, c complex, x anything else (keys).
ALL_KINDS = frozenset("biufcx")
INEXACT = frozenset("fc")
_KIND = {"bool": "b", "int8": "i", "int16": "i", "int32": "i", "int64": "i", "uint8": "u",
         "uint16": "u", "uint32": "u", "uint64": "u", "bfloat16": "f", "float16": "f",
         "float32": "f", "float64": "f", "complex64": "c", "complex128": "c",
         "i*": "i", "f*": "f", "c*": "c"}
_BITS = {"int8": 8, "int16": 16, "int32": 32, "int64": 64, "uint8": 8, "uint16": 16,
         "uint32": 32, "uint64": 64}
_NARROW = {"int64": "int32", "uint64": "uint32", "float64": "float32", "complex128": "complex64"}

# Spellings accepted as dtype arguments: jnp.float32, np.float32, "float32", jnp.bool_, ...
_ALIASES = {"bool_": "bool", "float_": "float64", "int_": "int64", "uint": "uint64",
            "complex_": "complex128", "double": "float64", "single": "float32",
            "half": "float16", "intc": "int32", "longlong": "int64", "cfloat": "complex128",
            "cdouble": "complex128", "csingle": "complex64", "short": "int16", "byte": "int8",
            "ubyte": "uint8", "ushort": "uint16", "uintc": "uint32", "f4": "float32",
            "f8": "float64", "i4": "int32", "i8": "int64", "f2": "float16", "float": "float64",
            "int": "int64", "complex": "complex128"}
# Python's builtin types used as dtypes mean JAX's default dtype of that kind.
PYTHON_DTYPES = {"float": "f", "int": "i", "complex": "c", "bool": "b"}


def kind_of(name: str) -> str:
    return _KIND.get(name, "x")


def canonical(name: Optional[str], x64: Optional[bool]) -> Optional[str]:
    """The dtype JAX stores for a requested one: 64-bit types are narrowed when x64 is off.
    ``x64=None`` (unknown) leaves 64-bit requests unknown."""
    if name is None or name not in _NARROW:
        return name
    if x64 is None:
        return None
    return name if x64 else _NARROW[name]


def default(kind: str, x64: Optional[bool]) -> Optional[str]:
    """JAX's default dtype of a kind ("i", "u", "f", "c", "b")."""
    if kind == "b":
        return "bool"
    if x64 is None:
        return None
    return {"i": "int64", "u": "uint64", "f": "float64", "c": "complex128"}[kind] if x64 else \
        {"i": "int32", "u": "uint32", "f": "float32", "c": "complex64"}[kind]


def parse_name(text: str) -> Optional[str]:
    """A dtype's spelling (``"float32"``, ``bool_``, ``np.float64``'s last part) -> its name
    before canonicalisation, or None if it is not a dtype this module knows."""
    text = _ALIASES.get(text, text)
    return text if text in _KIND and text not in WEAK_NODES else None


def lub(nodes: Iterable[str]) -> Optional[str]:
    """The least upper bound of lattice nodes (None if some node is not in the lattice)."""
    nodes = set(nodes)
    if not nodes or not nodes <= LATTICE:
        return None
    if len(nodes) == 1:
        return next(iter(nodes))
    common = frozenset.intersection(*(_UPPER[n] for n in nodes))
    for cand in common:
        if _UPPER[cand] == common:
            return cand
    return None


def node_of(dtype: str, weak: bool) -> str:
    """The lattice node of a concrete type: a weak non-bool array sits at its weak kind."""
    if weak and dtype != "bool":
        return {"i": "i*", "u": "i*", "f": "f*", "c": "c*"}.get(kind_of(dtype), dtype)
    return dtype


def from_node(node: str, x64: Optional[bool]) -> tuple[Optional[str], bool]:
    """The (dtype, weak) a promotion result node stands for."""
    if node in WEAK_NODES:
        return default(WEAK_NODES[node], x64), True
    return canonical(node, x64), False


# -- symbolic types ------------------------------------------------------------------------------
@dataclass(frozen=True)
class TypeTerm:
    """A JAX type (dtype and weak flag) that is a function of the types of named inputs.

    op ``arg``: the type of parameter ``args[0]`` on entry; ``lub``: promotion of ``args`` (a
    frozenset of TypeTerms and lattice nodes); ``inexact`` / ``strong`` / ``sum`` / ``cumsum``:
    the result type of those operations on ``args[0]``. ``kinds`` is what the term may be
    (a subset of ALL_KINDS): evidence, or derived from the operation. Equality is structural.
    """

    op: str
    args: Union[tuple, frozenset]
    kinds: frozenset = field(default=ALL_KINDS, compare=False)
    label: str = field(default="", compare=False)

    def __repr__(self) -> str:
        return f"TypeTerm({describe_term(self)})"

    def __absval_children__(self):
        return self.args


Dtype = Union[str, TypeTerm, None]  # a concrete dtype name, a symbolic type, or unknown


def arg_term(name: str, kinds: frozenset = ALL_KINDS) -> TypeTerm:
    return TypeTerm("arg", (name,), kinds, name)


def describe_term(t: TypeTerm) -> str:
    """The type in words: "the dtype of `h`", "the promoted dtype of `h` and a Python float"."""
    if t.op == "arg":
        return f"the dtype of `{t.args[0]}`"
    if t.op == "entry":
        return f"the dtype `{t.args[0]}` has before the loop"
    if t.op == "lub":
        parts = sorted(_short(a) for a in t.args)
        listed = ", ".join(parts[:-1]) + " and " + parts[-1] if len(parts) > 1 else parts[0]
        return f"the promoted dtype of {listed}"
    inner = _short(t.args[0])
    return {"inexact": f"the floating dtype of {inner}",
            "strong": f"the dtype of {inner}, strongly typed",
            "sum": f"the dtype of a sum over {inner}",
            "cumsum": f"the dtype of a cumulative sum over {inner}"}.get(
        t.op, f"{t.op}({inner})")


def _short(a) -> str:
    if isinstance(a, TypeTerm):
        if a.op in ("arg", "entry"):
            return f"`{a.args[0]}`"
        return f"({describe_term(a)})"
    return {"i*": "a Python int", "f*": "a Python float", "c*": "a Python complex",
            "bool": "a bool"}.get(a, a)


def _kinds(item) -> frozenset:
    if isinstance(item, TypeTerm):
        return item.kinds
    return frozenset(kind_of(item))


_ORDER = {"b": 0, "i": 1, "u": 1, "f": 2, "c": 3}


def _lub_kinds(kind_sets: list[frozenset]) -> frozenset:
    """Kinds a promotion of values with these kinds may have (an over-approximation: an int
    result may be signed or not, and int64 with uint64 gives a float)."""
    if any("x" in ks for ks in kind_sets):
        return ALL_KINDS
    out: set[str] = set()
    levels = {0}
    for ks in kind_sets:
        levels = {max(lv, _ORDER[k]) for lv in levels for k in ks}
    for lv in levels:
        out |= {0: {"b"}, 1: {"i", "u", "f"}, 2: {"f"}, 3: {"c"}}[lv]
    return frozenset(out)


# An operand of promotion: a TypeTerm, a concrete (dtype, weak, lattice node) triple (the dtype
# may be unknown: a Python scalar when x64 is unknown), or None (unknown).
Operand = Union[TypeTerm, tuple, None]


def concrete(dtype: Optional[str], weak: bool) -> tuple:
    return (dtype, weak, node_of(dtype, weak) if dtype is not None else None)


def python_scalar(kind: str, x64: Optional[bool]) -> tuple:
    """A Python bool / int / float / complex as an operand: weakly typed, the default dtype."""
    node = {"b": "bool", "i": "i*", "f": "f*", "c": "c*"}[kind]
    return (default(kind, x64), True, node)


def promote(operands: list[Operand], x64: Optional[bool]) -> tuple[Dtype, Optional[bool]]:
    """The (dtype, weak) jnp gives its operands (jax's lattice_result_type): one operand keeps
    its type; one dtype with a strong operand stays that dtype, strong; all weak: the promoted
    dtype, weak; otherwise the lattice's bound, where a weak kind means its default dtype."""
    if not operands or any(o is None for o in operands):
        return None, None
    if any(isinstance(o, TypeTerm) for o in operands):
        return _promote_terms(operands, x64)
    if len(operands) == 1:
        d, w = operands[0][0], operands[0][1]
        return d, (w and d != "bool") if d is not None else None
    dtypes = [o[0] for o in operands]
    weaks = [o[1] for o in operands]
    if None not in dtypes and len(set(dtypes)) == 1 and not all(weaks):
        return dtypes[0], False
    if all(weaks):
        if None in dtypes:
            return None, None
        node = lub(set(dtypes))
        if node is None:
            return None, None
        out = canonical(node, x64)
        return out, out != "bool" if out is not None else None
    node = lub({o[2] for o in operands})
    if node is None:
        return None, None
    return from_node(node, x64)


def _promote_terms(operands: list[Operand], x64) -> tuple[Dtype, Optional[bool]]:
    nodes: set[str] = set()
    terms: set[TypeTerm] = set()
    for o in operands:
        if isinstance(o, TypeTerm):
            if o.op == "lub":
                for a in o.args:
                    (terms if isinstance(a, TypeTerm) else nodes).add(a)
            else:
                terms.add(o)
        else:
            nodes.add(o[2])
    node = lub(nodes) if nodes else None
    if nodes and node is None:
        return None, None
    if node is not None:
        # bool is the lattice's bottom; a weak kind is absorbed by a term known to be above it
        # (for a weak term, this relies on weak arrays having their kind's default dtype).
        if node == "bool" or any(_absorbs(t.kinds, node) for t in terms):
            node = None
    if node is None and len(terms) == 1:
        return _with_weak(next(iter(terms)))
    members = frozenset(terms | ({node} if node is not None else set()))
    if too_big(members):
        return None, None
    kinds = _lub_kinds([_kinds(m) for m in members])
    return TypeTerm("lub", members, kinds), None


def _absorbs(kinds: frozenset, node: str) -> bool:
    if node == "i*":
        return kinds <= frozenset("iufc")
    if node == "f*":
        return kinds <= INEXACT
    if node == "c*":
        return kinds <= frozenset("c")
    return False


def _with_weak(t: TypeTerm) -> tuple[TypeTerm, Optional[bool]]:
    return t, (False if t.op in ("strong", "sum", "cumsum") else None)


def unary(op: str, dtype: Dtype, weak: Optional[bool],
          x64: Optional[bool]) -> tuple[Dtype, Optional[bool]]:
    """Result type of a one-operand operation on an array of type (dtype, weak).

    ``inexact``: jnp's float functions (exp, tanh, ``/``): ints and bool become the default float,
    the weak flag is kept. ``strong``: same dtype, weak flag dropped (max, astype to own dtype).
    ``sum``: reductions that widen small ints (sum, prod). ``mean``: inexact then strong.
    ``cumsum``: bool becomes the default int, the rest keep their dtype, strong.
    """
    if dtype is None:
        return None, (False if op in ("strong", "sum", "mean", "cumsum") else None)
    if isinstance(dtype, TypeTerm):
        return _unary_term(op, dtype)
    kind = kind_of(dtype)
    if op == "inexact":
        if kind in INEXACT:
            return dtype, weak
        if kind == "x":
            return None, None
        # jax's fixed table (dtypes._dtype_to_inexact): 64-bit ints give float64, the rest
        # float32, whatever the x64 flag
        return ("float64" if dtype in ("int64", "uint64") else "float32"), weak
    if op == "strong":
        return dtype, False
    if op == "mean":
        return unary("inexact", dtype, weak, x64)[0], False
    if op == "sum":
        if kind == "b":
            return default("i", x64), False
        if kind in "iu":
            target = default(kind, x64)
            if target is None:
                return None, False
            return (target if _BITS[dtype] < _BITS[target] else dtype), False
        return dtype, False
    if op == "cumsum":
        return (default("i", x64) if kind == "b" else dtype), False
    if op == "real":
        return ({"complex64": "float32", "complex128": "float64"}.get(dtype, dtype)), weak
    if op == "var":  # var / std: the mean's dtype, real
        d, w = unary("mean", dtype, weak, x64)
        return unary("real", d, w, x64) if d is not None else (None, False)
    if op == "float_only":  # a weak operand may come out strong (gelu) or not (sigmoid)
        return (dtype, False if weak is False else None) if kind == "f" else (None, None)
    if op == "numeric":  # jnp.square: bool becomes the default int
        return (default("i", x64), False) if kind == "b" else (dtype, weak)
    raise ValueError(op)


def _unary_term(op: str, t: TypeTerm) -> tuple[Optional[TypeTerm], Optional[bool]]:
    if op == "real":
        return (_with_weak(t) if "c" not in t.kinds else (None, None))
    if op == "numeric":
        return (_with_weak(t) if "b" not in t.kinds else (None, None))
    if op == "float_only":
        return (None, None)
    if op == "var":
        if "c" in t.kinds:
            return None, False
        return _unary_term("mean", t)
    if too_big(t):
        return None, (False if op in ("strong", "sum", "mean", "cumsum", "var") else None)
    if op == "inexact":
        if t.kinds <= INEXACT:
            return _with_weak(t)
        kinds = frozenset("f") | (t.kinds & frozenset("c"))
        return TypeTerm("inexact", (t,), kinds), None
    if op == "mean":
        inner, _ = _unary_term("inexact", t)
        return _unary_term("strong", inner)
    if op == "sum" and t.kinds <= INEXACT or op == "cumsum" and "b" not in t.kinds:
        op = "strong"
    if op == "strong" and t.op in ("strong", "sum", "cumsum"):
        return t, False
    kinds = t.kinds
    if op == "sum":
        kinds = (kinds - {"b"}) | ({"i"} if "b" in kinds else set())
    if op == "cumsum":
        kinds = (kinds - {"b"}) | {"i"}
    return TypeTerm(op, (t,), kinds), False
