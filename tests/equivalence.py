"""Equivalence harness for loop rewrites (docs/design/loop-semantics.md says what must be preserved).

Every rewrite that turns a Python loop into ``jax.lax.scan`` / ``fori_loop`` / ``while_loop`` must be
shown to compute the same thing as the loop it replaces. This module checks that, and it is written so
that it can *fail* in specific, named ways (see ``KINDS``).

    from equivalence import check_equivalent, assert_equivalent

    def make_args(T):                       # T = trip count; returns the positional args
        k1, k2 = jax.random.split(jax.random.key(T))
        return jax.random.normal(k1, (8, 8)) / 4, jax.random.normal(k2, (T, 8))

    rep = check_equivalent(rnn_loop, rnn_scan, make_args, trip_counts=(8, 32), grad="auto")
    assert rep.ok, rep            # or: assert_equivalent(rnn_loop, rnn_scan, make_args, grad="auto")
    assert rep.has("values")      # when testing that the harness catches a broken rewrite

What is checked, for every trip count T in ``trip_counts`` unless noted:

1. *Reference*: ``original(*make_args(T))`` under ``jax.disable_jit()``, i.e. Python loop semantics. It
   works even for code that cannot be traced (``break`` on a traced value, nnx Variable mutation in a
   ``jax.lax`` body).
2. *Candidate*: ``jax.jit(rewritten)`` (``nnx.jit`` when an argument holds nnx Modules/Variables).
3. Outputs: pytree structure, then per leaf shape + dtype exactly, weak_type, then values:
   floats with ``np.allclose`` in float64/complex128 (``equal_nan``), ints/bools/PRNG keys exactly.
4. nnx: both functions get independent ``nnx.clone`` copies of the arguments; afterwards the Variable
   state of the copies (``nnx.state``) must match: same Variables, types, avals and values.
5. Gradients (``grad`` given; only at ``grad_trip_counts``, default the first trip count, because the
   eager reference gradient costs one XLA compile per op *per loop index*):
   reverse mode of a scalar loss w.r.t. every floating-point array leaf of the arguments (including
   nnx Variable values). Reference = ``jax.grad`` of the original under ``disable_jit``; candidate =
   ``jax.jit(jax.grad(...rewritten...))``. Tolerance ``rtol=grad_rtol``,
   ``atol=max(grad_atol * max|g_ref|, atol)``. A candidate that cannot be reverse-differentiated
   (e.g. ``while_loop``) is a ``grad_error`` problem, unless ``differentiable=False``: then forward
   mode (``jax.jvp`` with fixed random tangents) is checked instead, with the same tolerances.
6. No unrolling: ``jax.make_jaxpr`` of the rewrite at every trip count must contain one of
   ``expect_primitive`` (searched recursively: pjit/closed_call/custom_jvp/cond/scan bodies) and have
   the same total number of equations (all nesting levels) at every trip count.

Arguments that contain no array at all (Python scalars, strings, None, tuples of those) are treated
as static (``static_argnums``) by default: they are configuration, like a Python ``int`` loop bound.
Pass ``static_argnums=()`` to trace everything.

Pass the function with the module as an argument (``Model.__call__`` / ``Model.method``), not a bound
method: a closed-over module cannot be mutated under ``jax.jit`` at all (section 1.5).
"""
from __future__ import annotations

import collections
import dataclasses
import warnings
from typing import Any, Callable, Iterable, Sequence

import jax
import jax.numpy as jnp
import numpy as np

__all__ = [
    "KINDS",
    "LOOP_PRIMITIVES",
    "Problem",
    "Report",
    "assert_equivalent",
    "check_equivalent",
    "compare_trees",
    "iter_eqns",
    "jaxpr_stats",
    "loop_primitives",
]

LOOP_PRIMITIVES = frozenset({"scan", "while"})

#: Problem kinds and what they mean. ``Report.has(kind)`` / ``Problem.kind`` use these names.
KINDS = {
    "reference_error": "the original raised under jax.disable_jit() (test set-up problem)",
    "candidate_error": "jit(rewritten) raised",
    "structure": "output pytree structures differ (tuple vs list, extra/missing outputs, ...)",
    "aval": "an output leaf has a different shape or dtype",
    "weak_type": "an output leaf has the same dtype but a different weak_type",
    "values": "an output leaf's values differ beyond rtol/atol (or exactly, for ints/bools/keys)",
    "state": "nnx Variable state after the call differs (missing write-back, dtype, value, ...)",
    "grad_reference_error": "jax.grad (or jax.jvp) of the original under disable_jit raised",
    "grad_error": "the candidate's gradient raised (e.g. while_loop is not reverse-differentiable)",
    "grad": "gradients differ beyond grad_rtol/grad_atol",
    "jvp_error": "forward-mode jvp of the candidate raised (differentiable=False)",
    "jvp": "forward-mode tangents differ beyond grad_rtol/grad_atol (differentiable=False)",
    "trace_error": "jax.make_jaxpr(rewritten) raised",
    "no_loop": "the rewrite's jaxpr contains none of the expected loop primitives",
    "unrolled": "the rewrite's jaxpr size depends on the trip count (still unrolled)",
}


class Problem(str):
    """A problem message (a ``str``) tagged with ``kind`` (a key of ``KINDS``) and the trip count."""

    kind: str
    message: str
    trip_count: int | None

    def __new__(cls, kind: str, message: str, trip_count: int | None = None):
        if kind not in KINDS:
            raise ValueError(f"unknown problem kind {kind!r}")
        where = f" T={trip_count}" if trip_count is not None else ""
        self = super().__new__(cls, f"[{kind}{where}] {message}")
        self.kind, self.message, self.trip_count = kind, message, trip_count
        return self


@dataclasses.dataclass(repr=False)
class Report:
    original: str
    rewritten: str
    trip_counts: tuple
    problems: list = dataclasses.field(default_factory=list)   # list[Problem] (Problem is a str)
    notes: list = dataclasses.field(default_factory=list)      # informational, never failures

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def kinds(self) -> set:
        return {p.kind for p in self.problems}

    def has(self, kind: str) -> bool:
        if kind not in KINDS:
            raise ValueError(f"unknown problem kind {kind!r}")
        return kind in self.kinds

    def of_kind(self, kind: str) -> list:
        return [p for p in self.problems if p.kind == kind]

    def __repr__(self) -> str:  # pytest prints repr() of assertion messages
        return str(self)

    def __bool__(self) -> bool:  # `assert report` reads naturally
        return self.ok

    def __str__(self) -> str:
        head = f"equivalence {self.original} -> {self.rewritten} (T={', '.join(map(str, self.trip_counts))})"
        lines = [f"{head}: OK" if self.ok else f"{head}: {len(self.problems)} problem(s)"]
        lines += [f"  {p}" for p in self.problems]
        lines += [f"  note: {n}" for n in self.notes]
        return "\n".join(lines)


# --------------------------------------------------------------------------------------------------
# jaxpr inspection
# --------------------------------------------------------------------------------------------------

def _jaxprs_in(value) -> Iterable:
    """Jaxprs held by an eqn param: a Jaxpr, a ClosedJaxpr, or tuples/lists/dicts of them."""
    if hasattr(value, "eqns"):
        yield value
    elif hasattr(value, "jaxpr") and hasattr(value.jaxpr, "eqns"):   # ClosedJaxpr
        yield value.jaxpr
    elif isinstance(value, (tuple, list)):
        for v in value:
            yield from _jaxprs_in(v)
    elif isinstance(value, dict):
        for v in value.values():
            yield from _jaxprs_in(v)


def iter_eqns(jaxpr):
    """All equations of ``jaxpr`` (Jaxpr or ClosedJaxpr), recursing into sub-jaxprs of every param
    (pjit/jit ``jaxpr``, closed_call/custom_jvp/custom_vjp ``call_jaxpr``, cond ``branches``, scan and
    while bodies, ...)."""
    if not hasattr(jaxpr, "eqns"):
        jaxpr = jaxpr.jaxpr
    for eqn in jaxpr.eqns:
        yield eqn
        for param in eqn.params.values():
            for sub in _jaxprs_in(param):
                yield from iter_eqns(sub)


def jaxpr_stats(f: Callable, *args, static_argnums: Sequence[int] = ()) -> tuple[int, collections.Counter]:
    """``(total number of eqns at all nesting levels, Counter of primitive names)`` of ``f(*args)``."""
    closed = jax.make_jaxpr(f, static_argnums=tuple(static_argnums))(*args)
    counts = collections.Counter(e.primitive.name for e in iter_eqns(closed))
    return sum(counts.values()), counts


def loop_primitives(f: Callable, *args, static_argnums: Sequence[int] = ()) -> set[str]:
    """The loop primitives (``scan``/``while``) found anywhere in the jaxpr of ``f(*args)``."""
    return set(jaxpr_stats(f, *args, static_argnums=static_argnums)[1]) & LOOP_PRIMITIVES


# --------------------------------------------------------------------------------------------------
# leaf / tree comparison
# --------------------------------------------------------------------------------------------------

def _is_array(x) -> bool:
    return isinstance(x, (jax.Array, np.ndarray, np.generic))


def _is_key(dtype) -> bool:
    return jnp.issubdtype(dtype, jax.dtypes.prng_key)


def _aval(x):
    """(shape, dtype, weak_type) of a leaf as JAX sees it (Python scalars are weak-typed)."""
    try:
        t = jax.typeof(x)
    except Exception:
        return None
    return tuple(t.shape), t.dtype, bool(getattr(t, "weak_type", False))


def _fmt_aval(a) -> str:
    shape, dtype, weak = a
    return f"{'~' if weak else ''}{dtype}[{','.join(map(str, shape))}]"


def _fmt_path(path, root: str) -> str:
    out = root
    for k in path:
        if isinstance(k, jax.tree_util.SequenceKey):
            out += f"[{k.idx}]"
        elif isinstance(k, jax.tree_util.DictKey):
            key = k.key
            if isinstance(key, int) and out == root:
                out += f"[{key}]"
            elif isinstance(key, str) and key.isidentifier():
                out += f".{key}"
            else:
                out += f"[{key!r}]"
        elif isinstance(k, jax.tree_util.GetAttrKey):
            if k.name not in ("value", "raw_value", "_value"):     # nnx Variable payload
                out += f".{k.name}"
        else:
            out += str(k)
    return out


def _numeric(x, dtype):
    """numpy array for value comparison: float64/complex128 for inexact, raw ints for exact."""
    if _is_key(dtype):
        return np.asarray(jax.random.key_data(x))
    a = np.asarray(x)
    if jnp.issubdtype(dtype, jnp.complexfloating):
        return a.astype(np.complex128)
    if jnp.issubdtype(dtype, jnp.floating):
        return a.astype(np.float64)
    return a


def _compare_values(name, r, c, dtype, rtol, atol, kind, T):
    ra, ca = _numeric(r, dtype), _numeric(c, dtype)
    if ra.shape != ca.shape:
        return [Problem(kind, f"{name}: shapes differ {ra.shape} != {ca.shape}", T)]
    exact = not (jnp.issubdtype(dtype, jnp.inexact) and not _is_key(dtype))
    if exact:
        bad = ra != ca
    else:
        bad = ~np.isclose(ca, ra, rtol=rtol, atol=atol, equal_nan=True)
    n_bad = int(np.count_nonzero(bad))
    if not n_bad:
        return []
    first = tuple(int(i) for i in np.unravel_index(int(np.flatnonzero(bad)[0]), bad.shape)) if bad.ndim else ()
    r0, c0 = ra[first].item(), ca[first].item()
    if exact:
        msg = (f"{name}: values differ (exact comparison of {dtype}): {n_bad}/{bad.size} elements, "
               f"first at {first}: reference {r0!r} vs candidate {c0!r}")
    else:
        with np.errstate(invalid="ignore"):
            diff = np.abs(ra - ca)
        finite = diff[np.isfinite(diff)]
        maxdiff = float(finite.max()) if finite.size else float("nan")
        nan_note = ""
        rn, cn = np.isnan(ra), np.isnan(ca)
        if np.any(cn & ~rn):
            nan_note = (f"; candidate has NaN at {int(np.count_nonzero(cn & ~rn))} element(s) where the "
                        "reference has none")
        elif np.any(rn & ~cn):
            nan_note = (f"; reference has NaN at {int(np.count_nonzero(rn & ~cn))} element(s) where the "
                        "candidate has none")
        msg = (f"{name}: values differ, max|diff|={maxdiff:.3e}, {n_bad}/{bad.size} elements outside "
               f"rtol={rtol:g} atol={atol:.3g}, first at {first}: reference {r0!r} vs candidate "
               f"{c0!r}{nan_note}")
    return [Problem(kind, msg, T)]


def compare_trees(ref, cand, *, root="out", rtol=1e-5, atol=1e-6, check_weak_type=True,
                  kinds=None, trip_count=None) -> list[Problem]:
    """Compare two pytrees: structure, then per leaf aval (shape, dtype, weak_type), then values.

    ``kinds`` maps each check (``structure``, ``aval``, ``weak_type``, ``values``) to the problem kind
    to report (defaults to the same names; e.g. use ``"state"`` for all of them).
    """
    kinds = {k: k for k in ("structure", "aval", "weak_type", "values")} | dict(kinds or {})
    T = trip_count
    ref_pairs, ref_def = jax.tree_util.tree_flatten_with_path(ref)
    cand_pairs, cand_def = jax.tree_util.tree_flatten_with_path(cand)
    if ref_def != cand_def:
        return [Problem(kinds["structure"], f"{root}: pytree structure differs:\n    reference {ref_def}\n"
                                            f"    candidate {cand_def}", T)]
    problems = []
    for (path, r), (_, c) in zip(ref_pairs, cand_pairs):
        name = _fmt_path(path, root)
        ra, ca = _aval(r), _aval(c)
        if ra is None or ca is None:                       # non-JAX leaves (str, object, ...)
            try:
                same = bool(r == c) and type(r) is type(c)
            except Exception:
                same = False
            if not same:
                problems.append(Problem(kinds["values"], f"{name}: non-array leaves differ: {r!r} vs {c!r}", T))
            continue
        if ra[:2] != ca[:2]:
            problems.append(Problem(kinds["aval"], f"{name}: aval {_fmt_aval(ra)} != {_fmt_aval(ca)} "
                                                   "(reference != candidate)", T))
        elif check_weak_type and ra[2] != ca[2]:
            problems.append(Problem(kinds["weak_type"], f"{name}: weak_type differs: {_fmt_aval(ra)} != "
                                                        f"{_fmt_aval(ca)} (changes dtype promotion downstream)", T))
        if ra[0] != ca[0]:
            continue                                        # values of different shapes: aval says it all
        if _is_key(ra[1]) != _is_key(ca[1]):
            continue
        try:
            dtype = ra[1] if ra[1] == ca[1] else jnp.promote_types(ra[1], ca[1])
            problems += _compare_values(name, r, c, dtype, rtol, atol, kinds["values"], T)
        except Exception as e:                              # e.g. a leaked tracer in the candidate
            problems.append(Problem(kinds["values"], f"{name}: cannot compare values: {_fmt_exc(e)}", T))
    return problems


def _fmt_exc(e: BaseException) -> str:
    lines = [ln for ln in str(e).strip().splitlines() if ln.strip()]
    return f"{type(e).__name__}: {lines[0][:300] if lines else ''}"


# --------------------------------------------------------------------------------------------------
# argument handling (plain pytrees and flax nnx graphs)
# --------------------------------------------------------------------------------------------------

def _nnx():
    try:
        from flax import nnx
    except Exception:  # pragma: no cover - flax is optional
        return None
    return nnx


def _has_nnx(args) -> bool:
    nnx = _nnx()
    if nnx is None:
        return False
    kinds = (nnx.Variable, nnx.Pytree)
    return any(isinstance(x, kinds) for x in jax.tree.leaves(args, is_leaf=lambda x: isinstance(x, kinds)))


def _copy_args(args, use_nnx: bool):
    """Independent copies: nnx graphs via nnx.clone (keeps sharing), numpy arrays copied, containers
    rebuilt. jax Arrays are immutable and shared."""
    if use_nnx:
        return _nnx().clone(args)
    return jax.tree.map(lambda x: np.array(x, copy=True) if isinstance(x, np.ndarray) else x, args)


def _auto_static(args) -> tuple[int, ...]:
    nnx = _nnx()
    graph_types = (nnx.Variable, nnx.Pytree) if nnx else ()

    def is_static(a):
        leaves = jax.tree.leaves(a, is_leaf=lambda x: isinstance(x, graph_types) if graph_types else False)
        if any(_is_array(x) or (graph_types and isinstance(x, graph_types)) for x in leaves):
            return False
        try:
            hash(a)
        except TypeError:
            return False
        return True

    return tuple(i for i, a in enumerate(args) if is_static(a))


class _Functional:
    """``args`` as a flat list of leaves + a way to rebuild fresh args (with new leaf values) and call a
    function on them. Dynamic leaves (traced, like jit would) are arrays and, outside static arguments,
    Python numbers; everything else is a constant. Only floating-point arrays are differentiated.
    nnx graphs go through
    ``nnx.split``/``nnx.merge``, so shared Modules/Variables stay shared and fresh objects are built
    inside whatever trace is active (mutation inside the function is then allowed)."""

    def __init__(self, args, use_nnx: bool, static: Sequence[int] = ()):
        if use_nnx:
            nnx = _nnx()
            graphdef, state = nnx.split(args)
            pairs, treedef = jax.tree_util.tree_flatten_with_path(state)
            self._rebuild = lambda leaves: nnx.merge(graphdef, jax.tree_util.tree_unflatten(treedef, leaves))
        else:
            pairs, treedef = jax.tree_util.tree_flatten_with_path(args)
            self._rebuild = lambda leaves: jax.tree_util.tree_unflatten(treedef, leaves)
        self.leaves = [v for _, v in pairs]
        self.names = [_fmt_path(p, "args") for p, _ in pairs]
        # dynamic = what jit traces: arrays, and Python numbers outside static arguments
        static = set(static) if not use_nnx else set()
        self.dyn = [i for i, (p, v) in enumerate(pairs)
                    if _is_array(v)
                    or (isinstance(v, (int, float, complex)) and getattr(p[0], "idx", None) not in static)]
        # differentiated = floating-point *arrays* (Python floats are treated as configuration)
        self.diff = [i for i in self.dyn if _is_array(self.leaves[i])
                     and jnp.issubdtype(jnp.result_type(self.leaves[i]), jnp.floating)]

    def call(self, f, values, idx):
        leaves = list(self.leaves)
        for i, v in zip(idx, values):
            leaves[i] = v
        return f(*tuple(self._rebuild(leaves)))


def _variable_state(args, flt):
    nnx = _nnx()
    flat = nnx.to_flat_state(nnx.state(args, flt))
    return {tuple(str(k) for k in path): var for path, var in flat}


def _compare_state(ref_args, cand_args, flt, rtol, atol, T) -> list[Problem]:
    try:
        rs, cs = _variable_state(ref_args, flt), _variable_state(cand_args, flt)
    except Exception as e:
        return [Problem("state", f"cannot read nnx state: {_fmt_exc(e)}", T)]
    problems = []
    only_r, only_c = sorted(set(rs) - set(cs)), sorted(set(cs) - set(rs))
    if only_r or only_c:
        problems.append(Problem("state", f"Variable sets differ: only in reference {only_r}, only in "
                                         f"candidate {only_c}", T))
    for path in sorted(set(rs) & set(cs)):
        rv, cv = rs[path], cs[path]
        name = "".join(f"[{k}]" if k.isdigit() else f".{k}" for k in path)
        name = f"state{name}" if not path[0].isdigit() else f"args{name}"
        if type(rv) is not type(cv):
            problems.append(Problem("state", f"{name}: Variable type {type(rv).__name__} != {type(cv).__name__}", T))
            continue
        problems += compare_trees(rv.get_value(), cv.get_value(), root=name, rtol=rtol, atol=atol,
                                  kinds={k: "state" for k in ("structure", "aval", "weak_type", "values")},
                                  trip_count=T)
    return problems


# --------------------------------------------------------------------------------------------------
# the harness
# --------------------------------------------------------------------------------------------------

def _auto_loss(out):
    """Sum of <w_i, leaf_i> over floating output leaves with fixed pseudo-random weights w_i, so that
    permutations (e.g. a wrong ``reverse=``) change the loss, unlike a plain sum."""
    total = jnp.float32(0.0)
    for i, leaf in enumerate(jax.tree.leaves(out)):
        try:
            leaf = jnp.asarray(leaf)
        except Exception:                                  # str, object, ...
            continue
        if not jnp.issubdtype(leaf.dtype, jnp.floating):   # ints, bools, PRNG keys carry no gradient
            continue
        w = np.random.default_rng(1000 + i).standard_normal(leaf.shape).astype(np.float32)
        total = total + jnp.sum(leaf.astype(jnp.float32) * w)
    return total


def _tangents(values):
    return [jnp.asarray(np.random.default_rng(2000 + i).standard_normal(np.shape(v)), jnp.result_type(v))
            for i, v in enumerate(values)]


def _name(f) -> str:
    return getattr(f, "__qualname__", None) or getattr(f, "__name__", None) or repr(f)


def check_equivalent(
    original: Callable,
    rewritten: Callable,
    make_args: Callable[[int], Any],
    *,
    trip_counts: Sequence[int] = (8, 64),
    grad: None | str | Callable[[Any], Any] = None,
    differentiable: bool = True,
    rtol: float = 1e-5,
    atol: float = 1e-6,
    grad_rtol: float = 1e-4,
    grad_atol: float = 1e-5,
    grad_trip_counts: Sequence[int] | None = None,
    expect_primitive: None | str | Sequence[str] = ("scan", "while"),
    check_size: bool = True,
    check_weak_type: bool = True,
    nnx_state: Any = None,
    jit: str = "auto",
    static_argnums: Sequence[int] | None = None,
) -> Report:
    """Check that ``rewritten`` is equivalent to ``original`` (see the module docstring).

    original, rewritten: functions of the same positional arguments.
    make_args(T): the positional arguments for trip count ``T`` (a tuple; a non-tuple is one argument).
    trip_counts: forward values and the jaxpr size are checked at each of these.
    grad: ``None`` (no derivative check), ``"auto"`` (loss = fixed random projection of every float
        output leaf) or ``loss(output) -> scalar``.
    differentiable: ``False`` for rewrites documented as not reverse-differentiable (``while_loop``):
        forward mode (``jax.jvp``) is checked instead of ``jax.grad``.
    rtol, atol: forward tolerances (float leaves; ints/bools/keys are compared exactly).
    grad_rtol, grad_atol: derivative tolerances: ``rtol=grad_rtol, atol=grad_atol * max|g_ref|``.
    grad_trip_counts: trip counts for the derivative check (default: the first of ``trip_counts``).
    expect_primitive: loop primitive name(s), one of which must appear in the rewrite's jaxpr;
        ``None`` skips that check.
    check_size: require the same total jaxpr eqn count at every trip count.
    check_weak_type: report weak_type differences of output leaves.
    nnx_state: ``None`` = compare the Variable state of nnx arguments after the call when there are
        any; ``False`` = don't; an nnx filter (e.g. ``nnx.Param``, ``Count``) = compare only those.
    jit: ``"auto"`` (``nnx.jit`` if the arguments hold nnx objects, else ``jax.jit``), ``"jax"``, ``"nnx"``.
    static_argnums: for the candidate's jit; default = arguments containing no array (Python scalars).
    """
    if jax.config.jax_disable_jit:
        raise RuntimeError("check_equivalent must not run under jax.disable_jit(): the candidate would "
                           "not be compiled and the loop primitives would run as Python loops")
    if jit not in ("auto", "jax", "nnx"):
        raise ValueError(f"jit must be 'auto', 'jax' or 'nnx', not {jit!r}")
    if isinstance(expect_primitive, str):
        expect_primitive = (expect_primitive,)
    trip_counts = tuple(trip_counts)
    grad_trip_counts = tuple(trip_counts[:1] if grad_trip_counts is None else grad_trip_counts)
    loss = _auto_loss if grad == "auto" else grad
    if grad is not None and not callable(loss):
        raise ValueError(f"grad must be None, 'auto' or a callable loss(output) -> scalar, not {grad!r}")

    report = Report(_name(original), _name(rewritten), trip_counts)
    problems, notes = report.problems, report.notes

    def get_args(T):
        a = make_args(T)
        return a if isinstance(a, tuple) else (a,)

    sizes = {}
    for T in sorted(set(trip_counts) | set(grad_trip_counts), key=lambda t: (t not in trip_counts, t)):
        args = get_args(T)
        use_nnx = {"auto": _has_nnx(args), "nnx": True, "jax": False}[jit]
        static = _auto_static(args) if static_argnums is None else tuple(static_argnums)

        if T in trip_counts:
            # ---- forward: reference (eager Python semantics) vs candidate (compiled) ----
            ref_args, cand_args = _copy_args(args, use_nnx), _copy_args(args, use_nnx)
            ref = cand = None
            ref_ok = cand_ok = False
            try:
                with jax.disable_jit(), warnings.catch_warnings():
                    warnings.simplefilter("ignore", DeprecationWarning)
                    ref = jax.block_until_ready(original(*ref_args))
                ref_ok = True
            except Exception as e:
                problems.append(Problem("reference_error", f"original(*make_args({T})) under disable_jit: "
                                                           f"{_fmt_exc(e)}", T))
            try:
                jitter = _nnx().jit if use_nnx else jax.jit
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore", DeprecationWarning)
                    cand = jax.block_until_ready(jitter(rewritten, static_argnums=static)(*cand_args))
                cand_ok = True
            except Exception as e:
                problems.append(Problem("candidate_error", f"{'nnx' if use_nnx else 'jax'}.jit(rewritten): "
                                                           f"{_fmt_exc(e)}", T))
            if ref_ok and cand_ok:
                problems += compare_trees(ref, cand, root="out", rtol=rtol, atol=atol,
                                          check_weak_type=check_weak_type, trip_count=T)
                if use_nnx and nnx_state is not False:
                    flt = _nnx().Variable if nnx_state is None else nnx_state
                    problems += _compare_state(ref_args, cand_args, flt, rtol, atol, T)

            # ---- no-unrolling: jaxpr of the rewrite ----
            if expect_primitive is not None or check_size:
                fn = _Functional(_copy_args(args, use_nnx), use_nnx, static)
                dyn_values = [fn.leaves[i] for i in fn.dyn]
                try:
                    with warnings.catch_warnings():
                        warnings.simplefilter("ignore", DeprecationWarning)
                        n, prims = jaxpr_stats(lambda *v: fn.call(rewritten, v, fn.dyn), *dyn_values)
                    sizes[T] = n
                    loops = sorted(set(prims) & LOOP_PRIMITIVES)
                    notes.append(f"T={T}: rewrite jaxpr has {n} eqns, loop primitives {loops or 'none'}")
                    if expect_primitive is not None and not set(prims) & set(expect_primitive):
                        problems.append(Problem("no_loop", f"no {'/'.join(expect_primitive)} primitive in the "
                                                           f"rewrite's jaxpr (loop primitives found: "
                                                           f"{loops or 'none'})", T))
                except Exception as e:
                    problems.append(Problem("trace_error", f"jax.make_jaxpr(rewritten): {_fmt_exc(e)}", T))

        if T in grad_trip_counts and grad is not None:
            problems += _check_derivatives(original, rewritten, args, use_nnx, static, loss, differentiable,
                                           grad_rtol, grad_atol, atol, T, notes)

    if check_size and len(sizes) >= 2 and len(set(sizes.values())) > 1:
        desc = " vs ".join(f"{n} eqns at T={T}" for T, n in sizes.items())
        problems.append(Problem("unrolled", f"jaxpr grows with the trip count: {desc}"))
    elif check_size and len(trip_counts) < 2:
        notes.append("only one trip count: the jaxpr size check needs two")
    return report


def _check_derivatives(original, rewritten, args, use_nnx, static, loss, differentiable, grad_rtol,
                       grad_atol, atol, T, notes) -> list[Problem]:
    problems = []
    fn = _Functional(_copy_args(args, use_nnx), use_nnx, static)
    if not fn.diff:
        notes.append(f"T={T}: no floating-point array argument: derivative check skipped")
        return problems
    primals = [fn.leaves[i] for i in fn.diff]
    names = [fn.names[i] for i in fn.diff]
    other = [i for i in fn.dyn if i not in fn.diff]        # traced but not differentiated (ints, keys)
    others = [fn.leaves[i] for i in other]

    def on(f):   # f as a function of (differentiated leaves, other traced leaves)
        return lambda p, o: fn.call(f, list(p) + list(o), fn.diff + other)

    def tol(ref_tree):
        leaves = [np.abs(np.asarray(x, np.float64)) for x in jax.tree.leaves(ref_tree)
                  if np.asarray(x).dtype != jax.dtypes.float0]
        finite = [x[np.isfinite(x)] for x in leaves]
        gmax = max((float(x.max()) for x in finite if x.size), default=0.0)
        return max(grad_atol * gmax, atol), gmax

    if differentiable:
        def ref_loss(p, o):
            return loss(on(original)(p, o))

        def new_loss(p, o):
            return loss(on(rewritten)(p, o))

        try:
            with jax.disable_jit(), warnings.catch_warnings():
                warnings.simplefilter("ignore", DeprecationWarning)
                g_ref = jax.grad(ref_loss)(primals, others)
        except Exception as e:
            return [Problem("grad_reference_error", f"jax.grad(original) under disable_jit: {_fmt_exc(e)}", T)]
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", DeprecationWarning)
                g_new = jax.block_until_ready(jax.jit(jax.grad(new_loss))(primals, others))
        except Exception as e:
            return [Problem("grad_error", f"jit(grad(rewritten)): {_fmt_exc(e)}", T)]
        g_atol, gmax = tol(g_ref)
        notes.append(f"T={T}: grads w.r.t. {len(primals)} leaves checked (max|g|={gmax:.3g}, atol={g_atol:.3g})")
        for name, gr, gn in zip(names, g_ref, g_new):
            problems += compare_trees(gr, gn, root=f"d loss/d {name}", rtol=grad_rtol, atol=g_atol,
                                      check_weak_type=False, kinds={k: "grad" for k in
                                                                    ("structure", "aval", "weak_type", "values")},
                                      trip_count=T)
        return problems

    # documented non-differentiable (reverse mode): forward mode must work and agree
    tangents = _tangents(primals)
    try:
        with jax.disable_jit(), warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)
            _, t_ref = jax.jvp(lambda *p: on(original)(p, others), tuple(primals), tuple(tangents))
    except Exception as e:
        return [Problem("grad_reference_error", f"jax.jvp(original) under disable_jit: {_fmt_exc(e)}", T)]
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)

            def new_jvp(p, t, o):
                return jax.jvp(lambda *q: on(rewritten)(q, o), tuple(p), tuple(t))
            _, t_new = jax.block_until_ready(jax.jit(new_jvp)(primals, tangents, others))
    except Exception as e:
        return [Problem("jvp_error", f"jit(jvp(rewritten)): {_fmt_exc(e)}", T)]

    def drop_float0(tree):
        return jax.tree.map(lambda x: None if getattr(x, "dtype", None) == jax.dtypes.float0 else x, tree)

    t_ref, t_new = drop_float0(t_ref), drop_float0(t_new)              # int/bool/key outputs
    t_atol, tmax = tol(t_ref)
    notes.append(f"T={T}: forward-mode tangents checked (max|t|={tmax:.3g}, atol={t_atol:.3g}); "
                 "reverse mode skipped (differentiable=False)")
    problems += compare_trees(t_ref, t_new, root="tangent out", rtol=grad_rtol, atol=t_atol,
                              check_weak_type=False,
                              kinds={k: "jvp" for k in ("structure", "aval", "weak_type", "values")},
                              trip_count=T)
    return problems


def assert_equivalent(original: Callable, rewritten: Callable, make_args: Callable[[int], Any], **kwargs) -> Report:
    """``check_equivalent(...)``; raises ``AssertionError`` listing every problem unless it is OK."""
    report = check_equivalent(original, rewritten, make_args, **kwargs)
    if not report.ok:
        raise AssertionError(str(report))
    return report
