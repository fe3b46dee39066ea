"""Shape facts: dimensions that are known ints, symbolic sizes, or unknown.

A dimension (``Dim``) is an ``int``, a ``Lin`` (an integer linear form over symbolic atoms such
as "dimension 0 of argument ``xs``" or "the static argument ``n``"), or None (unknown). A shape
is a tuple of dimensions (rank known), a ``ShapeSym`` (rank unknown: the shape of an argument,
or a function of such shapes, e.g. "the shape of ``xs`` without its first axis"), or None.

Equal symbolic objects denote equal sizes in every execution; different ones may still be equal
(unknown), except linear forms that differ only by a constant, which are provably different.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Optional, Sequence, Union

from .limits import MAX_TERMS, too_big


@dataclass(frozen=True)
class Lin:
    """sum(coef * atom) + const; atoms are hashable tuples naming a size the code fixes."""

    terms: frozenset  # of (atom, coef), coef != 0
    const: int = 0

    def __repr__(self) -> str:
        return f"Lin({describe_dim(self)})"

    def __absval_children__(self):
        return self.terms


Dim = Union[int, Lin, None]


@dataclass(frozen=True)
class ShapeSym:
    """A shape of unknown rank: the broadcast of ``atoms`` (usually just one)."""

    atoms: frozenset

    def __repr__(self) -> str:
        return f"ShapeSym({describe_shape(self)})"

    def __absval_children__(self):
        return self.atoms


Shape = Union[tuple, ShapeSym, None]


# -- dimensions ----------------------------------------------------------------------------------
def atom_dim(atom: tuple) -> Dim:
    if too_big(atom):
        return None
    return Lin(frozenset({(atom, 1)}), 0)


def _norm(terms: dict, const: int) -> Dim:
    terms = {a: c for a, c in terms.items() if c}
    if len(terms) > MAX_TERMS:
        return None
    return Lin(frozenset(terms.items()), const) if terms else const


def _parts(d: Dim) -> tuple[dict, int]:
    if isinstance(d, int):
        return {}, d
    return dict(d.terms), d.const


def dim_add(a: Dim, b: Dim) -> Dim:
    if a is None or b is None:
        return None
    if isinstance(a, int) and isinstance(b, int):
        return a + b
    ta, ca = _parts(a)
    tb, cb = _parts(b)
    for atom, coef in tb.items():
        ta[atom] = ta.get(atom, 0) + coef
    return _norm(ta, ca + cb)


def dim_scale(a: Dim, k: int) -> Dim:
    if a is None:
        return None
    if isinstance(a, int):
        return a * k
    terms, const = _parts(a)
    return _norm({t: c * k for t, c in terms.items()}, const * k)


def dim_sub(a: Dim, b: Dim) -> Dim:
    return dim_add(a, dim_scale(b, -1))


def dim_mul(a: Dim, b: Dim) -> Dim:
    if a is None or b is None:
        return None
    if isinstance(a, int):
        return dim_scale(b, a)
    if isinstance(b, int):
        return dim_scale(a, b)
    return atom_dim(("mul", frozenset({a, b}) if a != b else frozenset({a}), a == b))


def dim_opaque(op: str, *args) -> Dim:
    """A size computed by ``op`` from ``args`` (e.g. floor division): equal when args are."""
    if any(a is None for a in args):
        return None
    return atom_dim((op,) + args)


def dim_eq(a: Dim, b: Dim) -> Optional[bool]:
    """True: equal in every execution; False: never equal; None: unknown."""
    if a is None or b is None:
        return None
    if a == b:
        return True
    if isinstance(a, int) and isinstance(b, int):
        return False
    ta, ca = _parts(a)
    tb, cb = _parts(b)
    if ta == tb:
        return ca == cb
    return None


def describe_dim(d: Dim) -> str:
    if d is None:
        return "?"
    if isinstance(d, int):
        return str(d)
    out = ""
    for atom, coef in sorted(d.terms, key=lambda tc: _atom_label(tc[0])):
        label = _atom_label(atom)
        term = label if abs(coef) == 1 else f"{abs(coef)}*{label}"
        out += (" - " if coef < 0 else " + ") + term if out else ("-" if coef < 0 else "") + term
    if d.const:
        out += f" - {-d.const}" if d.const < 0 else f" + {d.const}"
    return out


def _atom_label(atom: tuple) -> str:
    op = atom[0]
    if op in ("arg", "entry"):
        return atom[1]
    if op == "label":
        return atom[1]
    if op == "dim":
        if len(atom) > 3:
            return atom[3]  # the annotation's name for it (jaxtyping)
        if atom[1][0] in ("arg", "entry"):
            return f"{atom[1][1]}.shape[{atom[2]}]"
        base = describe_shape(ShapeSym(frozenset({atom[1]})))
        return f"{base}[{atom[2]}]"
    if op == "mul":
        parts = sorted(describe_dim(p) for p in atom[1])
        return "*".join(f"({p})" for p in (parts * 2 if atom[2] else parts))
    return f"{op}(...)"


# -- shapes --------------------------------------------------------------------------------------
def sym(atom: tuple) -> Optional[ShapeSym]:
    if too_big(atom):
        return None
    return ShapeSym(frozenset({atom}))


def arg_shape(name: str) -> ShapeSym:
    return sym(("arg", name))


def _single(shape: ShapeSym) -> Optional[tuple]:
    return next(iter(shape.atoms)) if len(shape.atoms) == 1 else None


def rank(shape: Shape) -> Optional[int]:
    return len(shape) if isinstance(shape, tuple) else None


def prefix(dims: tuple, shape: Shape) -> Shape:
    """``dims + shape``."""
    if shape is None:
        return None
    if isinstance(shape, tuple):
        return tuple(dims) + shape
    if not dims:
        return shape
    atom = _single(shape)
    if atom is None:
        return None
    if atom[0] == "pre":
        return sym(("pre", tuple(dims) + atom[1], atom[2]))
    return sym(("pre", tuple(dims), atom))


def drop(shape: Shape, k: int = 1) -> Shape:
    """``shape[k:]`` (the shape of ``x[0]`` for k = 1)."""
    if shape is None or k == 0:
        return shape
    if isinstance(shape, tuple):
        return shape[k:] if len(shape) >= k else None
    atom = _single(shape)
    if atom is None:
        return None
    if atom[0] == "pre":
        dims, inner = atom[1], atom[2]
        if k <= len(dims):
            return prefix(dims[k:], sym(inner))
        atom, k = inner, k - len(dims)
    if atom[0] == "drop":
        return sym(("drop", atom[1], atom[2] + k))
    return sym(("drop", atom, k))


def dim_at(shape: Shape, axis: int) -> Dim:
    if shape is None:
        return None
    if isinstance(shape, tuple):
        n = len(shape)
        return shape[axis] if -n <= axis < n else None
    atom = _single(shape)
    if atom is None:
        return None
    if axis >= 0:
        if atom[0] == "pre":
            if axis < len(atom[1]):
                return atom[1][axis]
            return dim_at(sym(atom[2]), axis - len(atom[1]))
        if atom[0] == "drop":
            atom, axis = atom[1], axis + atom[2]
    return atom_dim(("dim", atom, axis))


def unary_sym(op: str, shape: Shape, *key) -> Shape:
    """An unknown-rank shape transformed by ``op`` (hashable ``key`` for its parameters)."""
    if not isinstance(shape, ShapeSym):
        return None
    atom = _single(shape)
    return None if atom is None else sym((op, atom) + key)


def transpose(shape: Shape, axes: Optional[Sequence[int]] = None) -> Shape:
    if isinstance(shape, tuple):
        if axes is None:
            return shape[::-1]
        if sorted(a % len(shape) for a in axes) != list(range(len(shape))):
            return None
        return tuple(shape[a] for a in axes)
    if axes is None and isinstance(shape, ShapeSym):
        atom = _single(shape)
        if atom is not None and atom[0] == "T":
            return sym(atom[1])
        return unary_sym("T", shape)
    return None


def swap(shape: Shape, a: int, b: int) -> Shape:
    if isinstance(shape, tuple):
        n = len(shape)
        if not (-n <= a < n and -n <= b < n):
            return None
        out = list(shape)
        out[a], out[b] = out[b], out[a]
        return tuple(out)
    return unary_sym("swap", shape, a, b)


def broadcast_dims(a: Dim, b: Dim) -> Dim:
    if a == b:
        return a
    if a == 1:
        return b
    if b == 1:
        return a
    if isinstance(a, int):
        return a  # b must be a or 1 for the broadcast to succeed
    if isinstance(b, int):
        return b
    return None


def broadcast(shapes: Sequence[Shape]) -> Shape:
    """numpy broadcasting of several shapes (one that cannot broadcast raises: any answer)."""
    tuples = [s for s in shapes if isinstance(s, tuple) and s != ()]
    syms = [s for s in shapes if isinstance(s, ShapeSym)]
    if any(s is None for s in shapes):
        return None
    if syms:
        atoms = set()
        for s in syms:
            atoms |= s.atoms
        if tuples:
            joined = broadcast(tuples)
            if joined is None:
                return None
            atoms.add(("tuple", joined))
        atoms = frozenset(atoms)
        return None if too_big(atoms) else ShapeSym(atoms)
    if not tuples:
        return ()
    n = max(len(t) for t in tuples)
    out = []
    for i in range(n):
        dims = [t[len(t) - n + i] for t in tuples if len(t) - n + i >= 0]
        acc = dims[0]
        for d in dims[1:]:
            acc = broadcast_dims(acc, d)
        out.append(acc)
    return tuple(out)


def size(shape: Shape) -> Dim:
    if isinstance(shape, tuple):
        out: Dim = 1
        for d in shape:
            out = dim_mul(out, d)
        return out
    if isinstance(shape, ShapeSym):
        atom = _single(shape)
        return None if atom is None else atom_dim(("size", atom))
    return None


def normalize_axes(axes, ndim: Optional[int]) -> Optional[tuple[int, ...]]:
    """Axes as non-negative ints (None if they cannot be, e.g. rank unknown and an axis < 0)."""
    out = []
    for a in axes:
        if not isinstance(a, int):
            return None
        if a < 0:
            if ndim is None:
                return None
            a += ndim
        if ndim is not None and not 0 <= a < ndim:
            return None
        out.append(a)
    return tuple(sorted(set(out)))


def reduce(shape: Shape, axes, keepdims: bool) -> Shape:
    """The shape of a reduction over ``axes`` (None: all axes)."""
    if axes is None:
        if not keepdims:
            return ()
        if isinstance(shape, tuple):
            return (1,) * len(shape)
        return unary_sym("ones", shape)
    if isinstance(axes, int):
        axes = (axes,)
    norm = normalize_axes(axes, rank(shape))
    if isinstance(shape, tuple):
        if norm is None:
            return None
        if keepdims:
            return tuple(1 if i in norm else d for i, d in enumerate(shape))
        return tuple(d for i, d in enumerate(shape) if i not in norm)
    if isinstance(shape, ShapeSym):
        if norm == (0,) and not keepdims:
            return drop(shape, 1)
        key = norm if norm is not None else tuple(axes)
        return unary_sym("reduce", shape, key, keepdims)
    return None


def slice_len(d: Dim, start: Optional[int], stop: Optional[int], step: Optional[int]) -> Dim:
    """len(range(d)[start:stop:step]) for static bounds (None: omitted)."""
    step = 1 if step is None else step
    if step == 0:
        return None
    if start in (None, 0) and stop is None and step == 1:
        return d
    if isinstance(d, int):
        return len(range(d)[slice(start, stop, step)])
    if d is None:
        return None
    return atom_dim(("slice", d, start, stop, step))


def matmul(a: Shape, b: Shape) -> Shape:
    if not (isinstance(a, tuple) and isinstance(b, tuple)) or not a or not b:
        return None
    if len(a) == 1 and len(b) == 1:
        return ()
    if len(a) == 1:
        return b[:-2] + b[-1:]
    if len(b) == 1:
        return a[:-1]
    batch = broadcast([a[:-2], b[:-2]])
    if batch is None:
        return None
    return batch + (a[-2], b[-1])


def dot(a: Shape, b: Shape) -> Shape:
    if a == () or b == ():
        return broadcast([a, b])
    if not (isinstance(a, tuple) and isinstance(b, tuple)):
        return None
    if len(b) == 1:
        return a[:-1]
    return a[:-1] + b[:-2] + b[-1:]


def concat(shapes: Sequence[Shape], axis: int) -> Shape:
    tuples = [s for s in shapes if isinstance(s, tuple)]
    if len(tuples) != len(shapes) or not tuples:
        return None
    n = len(tuples[0])
    if any(len(t) != n for t in tuples) or not -n <= axis < n:
        return None
    axis %= n
    out = []
    for i in range(n):
        if i == axis:
            acc: Dim = 0
            for t in tuples:
                acc = dim_add(acc, t[i])
            out.append(acc)
        else:
            # concatenate raises unless the other axes agree: any known one is the answer
            out.append(next((t[i] for t in tuples if t[i] is not None), None))
    return tuple(out)


def stack(item_shape: Shape, count: Dim, axis: int) -> Shape:
    if isinstance(item_shape, tuple):
        n = len(item_shape) + 1
        if not -n <= axis < n:
            return None
        axis %= n
        return item_shape[:axis] + (count,) + item_shape[axis:]
    if axis == 0:
        return prefix((count,), item_shape)
    return None


def pad(shape: Shape, widths) -> Shape:
    """``widths``: a list of (before, after) Dim pairs, one per axis, or one pair for all."""
    if widths is None:
        return None
    if isinstance(shape, tuple):
        if len(widths) == 1:
            widths = list(widths) * len(shape)
        if len(widths) != len(shape):
            return None
        return tuple(dim_add(d, dim_add(b, a)) for d, (b, a) in zip(shape, widths))
    if isinstance(shape, ShapeSym) and len(widths) == 1:
        return unary_sym("pad", shape, widths[0])
    return None


def reshape(shape: Shape, target: Shape) -> Shape:
    if not isinstance(target, tuple):
        return target if isinstance(target, ShapeSym) else None
    if -1 not in target:
        return target
    if target.count(-1) != 1:
        return None
    known = size(target[:target.index(-1)] + target[target.index(-1) + 1:])
    total = size(shape)
    fill = total // known if isinstance(total, int) and isinstance(known, int) and known \
        else None
    return tuple(fill if d == -1 else d for d in target)


def same_shape(a: Shape, b: Shape) -> Optional[bool]:
    if a is None or b is None:
        return None
    if isinstance(a, tuple) and isinstance(b, tuple):
        if len(a) != len(b):
            return False
        out: Optional[bool] = True
        for x, y in zip(a, b):
            eq = dim_eq(x, y)
            if eq is False:
                return False
            if eq is None:
                out = None
        return out
    if a == b:
        return True
    return None


def join_shapes(a: Shape, b: Shape) -> Shape:
    if a == b:
        return a
    if isinstance(a, tuple) and isinstance(b, tuple) and len(a) == len(b):
        return tuple(x if x == y else None for x, y in zip(a, b))
    return None


def describe_shape(shape: Shape) -> str:
    if shape is None:
        return "unknown"
    if isinstance(shape, tuple):
        inner = ", ".join(describe_dim(d) for d in shape)
        return f"({inner},)" if len(shape) == 1 else f"({inner})"
    parts = sorted(_describe_atom(a) for a in shape.atoms)
    return parts[0] if len(parts) == 1 else "broadcast(" + ", ".join(parts) + ")"


def _describe_atom(atom: tuple) -> str:
    op = atom[0]
    if op == "arg":
        return f"{atom[1]}.shape"
    if op == "entry":
        return f"{atom[1]}.shape before the loop"
    if op == "tuple":
        return describe_shape(atom[1])
    if op == "drop":
        return f"{_describe_atom(atom[1])}[{atom[2]}:]"
    if op == "pre":
        dims = ", ".join(describe_dim(d) for d in atom[1])
        return f"({dims}) + {_describe_atom(atom[2])}"
    if op == "T":
        return f"reversed {_describe_atom(atom[1])}"
    words = {"index": "after indexing", "reduce": "after a reduction", "pad": "after padding",
             "swap": "with two axes swapped", "ones": "with every axis 1"}
    if op in words and len(atom) > 1 and isinstance(atom[1], tuple):
        return f"{_describe_atom(atom[1])} {words[op]}"
    return f"the shape {op} made"
