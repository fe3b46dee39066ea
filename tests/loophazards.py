"""Hazard parts for tests/loopgen.py: what issue 12 found a loop rewriter gets wrong, as pieces
that go into a generated loop program (``loopgen.build(chooser, hazards=True)``).

Each hazard is a function of the program built so far (a ``Site``) that returns a ``Part``, or
None where it does not apply (an index hazard on a loop without an index). A part adds lines
before the loop, at the end of its body, after it, at module level or in the nnx module, results
to return, and says what the campaign may accept from an unsafe fix: the errors it may raise and
the words its note must then contain (as ``CASE["unsafe_raise_note"]`` in tests/hazards/).

The hazard programs are tests/hazards/ in miniature; the categories are the same: closures,
effects, carries, nnx Variables, unsafe fixes, odd syntax.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Optional

PYTHON_INT = ("static", "Python int")
TRACED_PY_INT = {"TracerBoolConversion": PYTHON_INT, "TracerIntegerConversion": PYTHON_INT,
                 "Concretization": PYTHON_INT, "Shapes must be": PYTHON_INT}
SIDE_EFFECT = {"unexpected tracer": "side effect"}


@dataclass
class Site:
    """What a hazard can hook onto."""

    carry: str                      # a carried name (scalar or vector)
    carry_vector: bool
    row: str                        # a (3,) expression of the current step
    loop_var: Optional[str]         # the loop's own variable, if a plain name
    index: Optional[str]            # an integer loop index (not a while counter)
    header: str                     # loopgen's header kind
    control: Optional[str]          # None, "break", "continue"
    nnx: bool
    while_counter: bool             # a `while k < n` loop with `k = k + 1` in the body


@dataclass
class Part:
    name: str
    pre: list[str] = field(default_factory=list)        # before the loop
    body: list[str] = field(default_factory=list)       # end of the body (before a `break`)
    first: bool = False             # the body lines go first (before a `continue` guard)
    after: list[str] = field(default_factory=list)      # after the loop
    module: list[str] = field(default_factory=list)     # module level, before the function
    init: list[str] = field(default_factory=list)       # nnx: lines of __init__
    methods: list[str] = field(default_factory=list)    # nnx: more methods of the Model
    results: list[str] = field(default_factory=list)
    raise_note: dict = field(default_factory=dict)
    grad: bool = False              # compare reverse-mode gradients too
    loop_line: Optional[str] = None  # replaces the loop header
    guard: Optional[str] = None     # replaces the `continue` guard's condition
    uses: set[str] = field(default_factory=set)         # extra arguments ("n")
    short_ys: bool = False          # make_args gives `ys` one row fewer than `xs`
    walrus: bool = False            # `while (k := k + 1) <= n`: no `k = k + 1` in the body
    syntax: Optional[str] = None    # "one_line", "semicolons", "comments": how to print the body


def _closure_late(s: Site) -> Part:
    return Part("closure_late_binding", pre=["def probe():", f"    return jnp.sum({s.carry}) * 0.1",
                                             "zc = jnp.zeros(())"],
                body=["zc = zc + probe()"], results=["zc"])


def _closure_loop_var(s: Site) -> Optional[Part]:
    if s.loop_var is None:
        return None
    return Part("closure_loop_variable", pre=[f"peek = lambda: jnp.sum({s.loop_var}) * 0.5",
                                              "zl = jnp.zeros(())"],
                body=["zl = zl + peek()"], results=["zl"])


def _effect_argument(s: Site) -> Part:
    return Part("effect_mutates_argument",
                module=["def note(buf, v):", "    buf.append(v)", "    return v"],
                pre=["trail = []"], body=[f"{s.carry} = note(trail, {s.carry})"],
                results=["len(trail)"], raise_note=SIDE_EFFECT)


def _effect_default(s: Site) -> Part:
    return Part("effect_mutable_default",
                module=["def tick(c=[0]):", "    c[0] += 1", "    return c[0]"],
                pre=["t0 = tick()", "zt = jnp.zeros(())"],
                body=["zt = zt + (tick() - t0) * 0.5"], results=["zt"], raise_note=SIDE_EFFECT)


def _effect_decorator(s: Site) -> Part:
    return Part("effect_stateful_decorator",
                module=["def counted(fn):", "    def wrapper(v):", "        wrapper.calls += 1",
                        "        return fn(v)", "    wrapper.calls = 0", "    return wrapper",
                        "", "", "@counted", "def same(v):", "    return v * 1.0"],
                pre=["c0 = same.calls"], body=[f"{s.carry} = same({s.carry})"],
                results=["same.calls - c0"], raise_note=SIDE_EFFECT)


def _effect_global(s: Site) -> Part:
    return Part("effect_global",
                module=["CALLS = 0", "", "", "def cell_g(v):", "    global CALLS",
                        "    CALLS += 1", "    return v"],
                pre=["g0 = CALLS"], body=[f"{s.carry} = cell_g({s.carry})"],
                results=["CALLS - g0"], raise_note=SIDE_EFFECT)


def _carry_bool(s: Site) -> Part:
    return Part("carry_python_bool", pre=["first = True", "zb = jnp.zeros(())"],
                body=["if first:", "    zb = zb + 1.0", "    first = False"], results=["zb"],
                raise_note={"TracerBoolConversion": "bool"})


def _carry_str(s: Site) -> Part:
    return Part("carry_python_str", pre=['mode = "warm"', "zs = jnp.zeros(())"],
                body=['zs = zs + (0.1 if mode == "warm" else 1.0)', 'mode = "hot"'],
                results=["zs"], raise_note={"not a valid JAX type": ("str", "string")})


def _carry_list(s: Site) -> Part:
    return Part("carry_python_list", pre=["win = []", "zw = jnp.zeros(())"],
                body=[f"win = (win + [jnp.sum({s.row})])[-2:]", "zw = zw + sum(win)"],
                results=["zw"], raise_note={"pytree structure": ("list", "structure")})


def _carry_none(s: Site) -> Part:
    return Part("carry_none", pre=["prev = None", "zn = jnp.zeros(())"],
                body=["zn = zn + (0.0 if prev is None else jnp.sum(prev))", f"prev = {s.row}"],
                results=["zn"], raise_note={"pytree structure": "None"})


def _carry_int_static(s: Site) -> Part:
    return Part("carry_python_int_static", pre=["cnt = 0"], body=["cnt += 1"],
                results=["jnp.sum(jnp.ones(cnt))"], raise_note=TRACED_PY_INT)


def _carry_int_overflow(s: Site) -> Part:
    return Part("carry_int_overflow", pre=["seed = 7", "zo = jnp.zeros(())"],
                body=["seed = seed * 48271 % 2147483647", "zo = zo + seed / 2147483647"],
                results=["zo"])


def _carry_nonlocal(s: Site) -> Part:
    return Part("carry_nonlocal", pre=["nb = 0", "def bump_n():", "    nonlocal nb",
                                       "    nb += 1"],
                body=["bump_n()"], results=["nb"], raise_note=SIDE_EFFECT)


def _carry_tuple(s: Site) -> Part:
    return Part("carry_tuple_state", pre=["st = (jnp.zeros(()), 0)"],
                body=["zz, kk = st", "st = (zz + (1.0 if kk == 0 else 0.5), kk + 1)"],
                results=["st[0]"], raise_note={"TracerBoolConversion": PYTHON_INT})


def _carry_shape(s: Site) -> Part:
    return Part("carry_shape_change", pre=["grow = jnp.zeros((0,))"],
                body=[f"grow = jnp.concatenate([grow, jnp.sum({s.row})[None]])"],
                results=["grow"], raise_note={"equal types": "shape"})


def _carry_dtype(s: Site) -> Part:
    return Part("carry_dtype_change", pre=["hb = jnp.zeros(3, jnp.bfloat16)"],
                body=[f"hb = hb * 0.5 + {s.row}"], results=["hb"],
                raise_note={"equal types": "dtype"})


def _carry_scalar_vector(s: Site) -> Part:
    return Part("carry_scalar_to_vector", pre=["tot = 0.0"], body=[f"tot = tot + {s.row}"],
                results=["tot"], raise_note={"equal types": "shape"})


def _index_dtype(s: Site) -> Optional[Part]:
    if s.index is None:
        return None
    return Part("index_weak_int_dtype", pre=["small = []"],
                body=[f"small.append(jnp.maximum(jnp.int8(1), {s.index}))"], first=True,
                results=["jnp.stack(small)"])


def _index_list(s: Site) -> Optional[Part]:
    if s.index is None:
        return None
    return Part("index_python_list",
                module=["TABLE = [0.5, 0.25, 0.125, 0.0625, 0.03125, 0.015625]"],
                pre=["zi = jnp.zeros(())"], body=[f"zi = zi + TABLE[{s.index}]"],
                results=["zi"],
                raise_note={"TracerIntegerConversion": ("Python", "index"),
                            "indices must be": ("Python", "index")})


def _array_of_tuples(s: Site) -> Part:
    return Part("outputs_array_of_tuples", pre=["pairs = []"],
                body=[f"pairs.append((jnp.sum({s.carry}), jnp.max({s.carry})))"],
                results=["jnp.array(pairs)"])


def _zip_unequal(s: Site) -> Optional[Part]:
    if s.header not in ("zip", "zip_enumerate"):
        return None
    return Part("zip_unequal_lengths", short_ys=True,
                raise_note={"leading axis sizes": "zip"})


def _masked_nan_grad(s: Site) -> Optional[Part]:
    if s.control != "continue":
        return None
    # skipped when the row sums above 1; the sqrt is nan only above 2: only on skipped steps
    return Part("masked_nan_gradient", guard=f"jnp.sum({s.row}) > 1.0",
                pre=["zq = jnp.zeros(())"], body=[f"zq = zq + jnp.sqrt(2.0 - jnp.sum({s.row}))"],
                results=["zq"], grad=True)


def _while_grad(s: Site) -> Optional[Part]:
    if not s.while_counter:
        return None
    return Part("while_under_grad", grad=True,
                raise_note={"Reverse-mode differentiation": "reverse-differentiable"})


def _walrus(s: Site) -> Optional[Part]:
    if not s.while_counter:
        return None
    return Part("walrus_while_test", loop_line="while (k := k + 1) <= n:", walrus=True)


def _padded_rebound(s: Site) -> Optional[Part]:
    if s.header != "range_traced" or s.control is not None:
        return None
    return Part("padded_bound_rebound", loop_line="for i in range(min(n, xs.shape[0])):",
                body=["n = n - 1"], results=["n"])


def _min_bound(s: Site) -> Optional[Part]:
    if s.header != "range_traced":
        return None
    return Part("min_traced_bound", loop_line="for i in range(1, min(n, xs.shape[0])):",
                raise_note={"TracerBoolConversion": ("min(", "`min`")})


def _nnx_method_reads(s: Site) -> Optional[Part]:
    if not s.nnx:
        return None
    return Part("nnx_variable_read_by_method",
                init=["self.cnt = nnx.Variable(jnp.zeros(()))"],
                methods=["def gain(self):", "    return self.cnt[...] * 0.1"],
                pre=["zg = jnp.zeros(())"],
                body=["self.cnt[...] += 1.0", "zg = zg + self.gain()"], results=["zg"])


def _nnx_broadcast(s: Site) -> Optional[Part]:
    if not s.nnx:
        return None
    return Part("nnx_broadcasting_write", init=["self.lvl = nnx.Variable(jnp.zeros(3))"],
                body=[f"self.lvl[...] = jnp.sum({s.row})"], results=["self.lvl[...]"],
                raise_note={"equal types": "shape"})


def _nnx_two_loops(s: Site) -> Optional[Part]:
    if not s.nnx:
        return None
    return Part("nnx_two_loops_one_body", init=["self.damp = nnx.Variable(jnp.full((), 0.9))"],
                after=["def relax(j, v):", "    return v * self.damp[...]",
                       f"zr = jax.lax.fori_loop(0, 2, relax, jnp.sum({s.carry}))",
                       "self.damp[...] = self.damp[...] * 0.5",
                       "zr = jax.lax.fori_loop(0, 2, relax, zr)"],
                results=["zr"])


def _syntax(kind: str) -> Callable[[Site], Part]:
    return lambda s: Part(f"syntax_{kind}", syntax=kind)


HAZARDS: list[Callable[[Site], Optional[Part]]] = [
    _closure_late, _closure_loop_var, _effect_argument, _effect_default, _effect_decorator,
    _effect_global, _carry_bool, _carry_str, _carry_list, _carry_none, _carry_int_static,
    _carry_int_overflow, _carry_nonlocal, _carry_tuple, _carry_shape, _carry_dtype,
    _carry_scalar_vector, _index_dtype, _index_list, _array_of_tuples, _zip_unequal,
    _masked_nan_grad, _while_grad, _walrus, _padded_rebound, _min_bound, _nnx_method_reads,
    _nnx_broadcast, _nnx_two_loops, _syntax("one_line"), _syntax("semicolons"),
    _syntax("comments"),
]
NAMES = ("closure_late_binding", "closure_loop_variable", "effect_mutates_argument",
         "effect_mutable_default", "effect_stateful_decorator", "effect_global",
         "carry_python_bool", "carry_python_str", "carry_python_list", "carry_none",
         "carry_python_int_static", "carry_int_overflow", "carry_nonlocal", "carry_tuple_state",
         "carry_shape_change", "carry_dtype_change", "carry_scalar_to_vector",
         "index_weak_int_dtype", "index_python_list", "outputs_array_of_tuples",
         "zip_unequal_lengths", "masked_nan_gradient", "while_under_grad", "walrus_while_test",
         "padded_bound_rebound", "min_traced_bound", "nnx_variable_read_by_method",
         "nnx_broadcasting_write", "nnx_two_loops_one_body", "syntax_one_line",
         "syntax_semicolons", "syntax_comments")


def choose(c, site: Site) -> list[Part]:
    """One or two of the hazards that apply here, all equally likely."""
    applicable = [p for p in (h(site) for h in HAZARDS) if p is not None]
    parts = [c.choice(applicable)]
    if c.chance():
        second = c.choice(applicable)
        if second.name != parts[0].name and not (second.loop_line and parts[0].loop_line) \
                and not (second.syntax and parts[0].syntax):
            parts.append(second)
    return parts
