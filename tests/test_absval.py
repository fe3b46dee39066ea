"""The abstract value domain (jaxloop_lint/analysis/absval) against real jax.

Every case runs the same code for real (eagerly, with real jax) and abstractly, and asserts
that each fact the domain claims known is exactly right: dtype, weak type, shape, Python kind
and value. Precision is asserted separately: the cases the domain must know exactly.
"""
from __future__ import annotations

import ast
import os
import sys
import textwrap
from typing import Optional

import jax
import jax.numpy as jnp
import numpy as np
import pytest

from jaxloop_lint.analysis.absval import (UNKNOWN, AbsVal, Evaluator, FunctionValues, Kind,
                                          describe, fits_int32, fori_index, loop_carry_types,
                                          param_values, same_type, scan_index)
from jaxloop_lint.analysis.absval import dtypes as dt
from jaxloop_lint.analysis.absval import shapes as sh
from jaxloop_lint.analysis.absval.value import array, py_int

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from absval_check import (Symbols, abstract, call_traced, check, check_loop,  # noqa: E402
                          check_pairs, imports_of, run_instrumented, traced)

pytestmark = pytest.mark.filterwarnings("ignore::FutureWarning")

HEADER = "import jax\nimport jax.numpy as jnp\nimport numpy as np\nfrom jax import lax\n"
IMPORTS = imports_of(ast.parse(HEADER))


def inputs():
    return {
        "a": jnp.arange(3, dtype=jnp.float32) + 1, "b": jnp.ones(3, jnp.bfloat16),
        "c": jnp.arange(3, dtype=jnp.int8), "u": jnp.arange(3, dtype=jnp.uint8),
        "h": jnp.ones(3, jnp.float16), "i": jnp.arange(3, dtype=jnp.int32),
        "z": jnp.ones(3, jnp.complex64), "m": jnp.ones((2, 3), jnp.float32),
        "q": jnp.ones((3, 2), jnp.float32), "t": jnp.ones((2, 3, 4), jnp.float32),
        "xs": jnp.ones((4, 3), jnp.float32), "k": jnp.int32(1), "w": jnp.asarray(1.0),
        "wi": jnp.asarray(2), "wv": jnp.full((3,), 2.0), "bs": jnp.array([True, False, True]),
        "flag": True, "n": 3, "f": 0.5, "s": "abc", "none": None,
        "key": jax.random.PRNGKey(0), "tk": jax.random.key(0),
        "lst": [jnp.ones(3), jnp.zeros(3)], "tup": (jnp.ones(3), 2), "big": 2 ** 40,
    }


def run_expr(src: str, env: dict, eager: bool = True):
    code = compile(src, "<case>", "eval")
    return traced(lambda: eval(code, {"jax": jax, "jnp": jnp, "np": np, "lax": jax.lax},
                               dict(env)), eager)


def abstract_expr(src: str, values: dict[str, AbsVal], x64=False) -> AbsVal:
    return Evaluator(IMPORTS, dict(values), None, x64)(ast.parse(src, mode="eval").body)


# expression -> must the domain know every fact of the result (in the concrete mode)?
EXACT = """
a + b; a + c; c + 1; c + 1.0; b + 1.0; b + a; bs + 1; bs + True; bs + 1.0; i / 2; c / 2; c // 2
i ** 2; c ** 2; c ** 2.5; a ** 2; b ** 2.0; w ** 2; c * 1j; a * 1j; b * 1j; u + c; u - 1; h + b
i + h; w + i; w + c; w * w; wi + w; wi + 1.5; a < 1; w < 2; a == w; bs & bs; ~bs; -a; -w; +c; ~c
m @ q; q @ m; a @ a; m @ a; a @ q; m.T; t.T; t.mT; a[0]; m[0]; m[:, 1]; m[1:]; m[:-1]; m[..., 1]
t[0, ..., 1]; m[None]; m[:, None, 1:]; xs[k]; xs[::-1]; xs[-2:]; xs[1:10]; a.shape; m.shape[0]
m.ndim; m.size; a.dtype; a.astype(jnp.int8); a.astype(float); a.astype(int); w.astype(jnp.float32)
m.reshape(-1); m.reshape(3, 2); m.reshape((3, -1)); m.sum(); m.sum(axis=0)
m.sum(axis=-1, keepdims=True); c.sum(); bs.sum(); u.sum(); w.sum(); m.mean(axis=1); i.mean()
b.mean(); m.max(); c.max(); bs.min(); w.max(); c.argmax(); m.argmax(axis=1); c.cumsum()
bs.cumsum(); m.cumsum(axis=1); m.any(); i.prod(); jnp.zeros(3); jnp.zeros((2, n))
jnp.zeros((), bool); jnp.zeros(3, jnp.int8); jnp.ones_like(c); jnp.zeros_like(w)
jnp.zeros_like(1.0); jnp.zeros_like(1); jnp.full(3, 1.0); jnp.full(3, 1); jnp.full((2,), w)
jnp.full(3, True); jnp.full_like(i, 1.5); jnp.full_like(a, 2, dtype=jnp.bfloat16)
jnp.empty((2, 3)); jnp.ones_like(a, dtype=jnp.int32); jnp.array(1.0); jnp.array(1); jnp.array(True)
jnp.asarray(1.0); jnp.array([1.0, 2.0]); jnp.array([1, 2.5]); jnp.array((1, 2)); jnp.array([True])
jnp.array([w, w]); jnp.array(b); jnp.asarray(w); jnp.array(1.0, jnp.float16)
jnp.asarray(a, dtype=jnp.int8); jnp.float32(1.0); jnp.int8(2); jnp.bfloat16(1.0); jnp.int32(a)
jnp.arange(5); jnp.arange(5.0); jnp.arange(2, 5); jnp.arange(0, 5, 2)
jnp.arange(5, dtype=jnp.float32); jnp.arange(n); jnp.linspace(0, 1, 5); jnp.eye(3); jnp.identity(2)
jnp.exp(i); jnp.exp(c); jnp.exp(1.0); jnp.sqrt(2); jnp.tanh(b); jnp.exp(bs); jnp.log(u)
jnp.tanh(w); jnp.reciprocal(i); jnp.floor(i); jnp.floor(w); jnp.round(i); jnp.square(c)
jnp.abs(bs); jnp.abs(z); jnp.abs(w); jnp.negative(a); jnp.maximum(i, 0); jnp.maximum(c, 0.0)
jnp.maximum(bs, bs); jnp.minimum(w, 0.0); jnp.clip(i, 0, 1.5); jnp.clip(c, 0)
jnp.clip(c, None, 1.0); jnp.clip(b, min=0.0, max=1.0); jnp.where(bs, i, 0.0)
jnp.where(bs, 1.0, 0.0); jnp.where(bs, c, 1); jnp.where(bs, c, b); jnp.where(bs, w, w); jnp.sum(c)
jnp.sum(c, dtype=jnp.float32); jnp.sum(m, axis=(0, 1)); jnp.mean(bs); jnp.mean(h); jnp.var(i)
jnp.std(b); jnp.max(w); jnp.any(i); jnp.argmax(m, axis=1); jnp.cumsum(c); jnp.cumsum(u)
jnp.cumprod(c); jnp.cumsum(m, axis=1); jnp.stack([a, a]); jnp.stack([a, a], axis=1)
jnp.stack([w, w]); jnp.stack([1.0, 2.0]); jnp.stack(lst); jnp.concatenate([a, a])
jnp.concatenate([m, m], axis=-1); jnp.concatenate([a, c]); jnp.pad(a, (1, 2)); jnp.pad(a, 1)
jnp.pad(m, ((1, 2), (0, 1))); jnp.pad(m, 1); jnp.pad(w[None], 1); jnp.dot(a, a); jnp.dot(m, a)
jnp.dot(m, q); jnp.dot(c, c); jnp.matmul(m, q); jnp.outer(a, a); jnp.outer(c, a)
jnp.reshape(m, (6,)); jnp.ravel(m); jnp.transpose(t); jnp.transpose(t, (1, 0, 2))
jnp.swapaxes(m, 0, 1); jnp.squeeze(m[None]); jnp.expand_dims(m, 1); jnp.flip(m); jnp.tril(m)
jnp.isnan(a).shape; jnp.logical_not(bs).dtype; jax.nn.relu(i); jax.nn.relu(bs); jax.nn.relu(w)
jax.nn.sigmoid(a); jax.nn.gelu(b); jax.nn.softmax(i); jax.nn.softmax(w[None])
jax.nn.log_softmax(m, axis=-1); jax.nn.one_hot(i, 5); jax.nn.one_hot(i, 5, dtype=jnp.bfloat16)
jax.nn.logsumexp(m); jax.random.normal(key, (2, 3)); jax.random.normal(key)
jax.random.uniform(key, (4,)); jax.random.normal(key, (3,), jnp.bfloat16)
jax.random.randint(key, (4,), 0, 5); jax.random.bernoulli(key, 0.5, (4,)); jax.random.split(key)
jax.random.split(key, 3); jax.random.split(tk); jax.random.fold_in(key, 3)
jax.random.categorical(key, m); jax.random.permutation(key, 5); jax.random.key(0); lax.add(i, 1)
lax.add(a, 1.0); lax.add(w, w); lax.max(a, 0.0); lax.tanh(b); lax.tanh(w); lax.exp(a)
lax.select(bs, a, a); lax.convert_element_type(a, jnp.int8); lax.stop_gradient(w)
lax.dynamic_slice(a, (k,), (2,)); lax.dynamic_update_slice(a, a[:2], (k,))
lax.dynamic_index_in_dim(m, k); lax.dynamic_index_in_dim(m, k, keepdims=False)
lax.dynamic_slice_in_dim(m, k, 2, axis=1); a.at[0].set(1.0); i.at[0].add(1.5); b.at[0].add(a[0])
c.at[0].get(); w[None].at[0].set(2); jnp.abs(a).T; 1 + 2; 1 + 2.5; 7 / 2; 7 // 2; 2 ** 10; 2 ** -1
True + True; True & False; 1 < 2; n * 2; f * 3; s + "x"; [1, 2] + [3]; (1,) * 3; len(lst); len(a)
len(s); int(f); float(n); bool(n); abs(-3); min(1, 2); max(n, 5); round(2.5); divmod(7, 2)
not flag; flag and n; none or f; n if flag else f; none is None; a is None; tup[0]; tup[1]; lst[-1]
(a, n)[1]; [a, c][0]; tuple(lst); list(tup); m.shape[1:]; a.weak_type; w.weak_type; jnp.pi
float(jnp.pi); a.real; z.real; z.imag
"""

# Sound but not every fact is known (by design or not modelled): only soundness is checked.
SOUND = """
jnp.einsum('i,i->', a, a); jnp.argsort(a); jnp.sort(a); a[bs.astype(int)]; m[:, i[:2]]
[x * 2 for x in lst]; [k for k in range(n)]; jnp.array(lst); jnp.asarray([x for x in lst])
2.0 ** c; 2 ** a; jnp.power(i, i); lax.pow(a, 2.0); jax.nn.elu(a); jax.nn.silu(b); sum(lst)
jnp.linalg.norm(a); jnp.linalg.norm(i); jax.nn.gelu(i); jnp.roll(a, 1); jnp.broadcast_to(a, (2, 3))
a[0].item(); jax.random.bernoulli(key, a[0] / 4); jax.random.bernoulli(key, m / 4)
jnp.concatenate(lst); a.sum(0, jnp.float32); a.clip(0.0, 1.0); c.clip(0, 1.5); m.transpose(1, 0)
m.dot(a); a.copy(); tup + (1,); lst * 2; lst[::-1]; sorted([3, 1]); max(lst, key=len); f'{n}'
big * big; big + n
"""


def _cases(text: str) -> list[str]:
    return [c.strip() for line in text.strip().splitlines() for c in line.split(";") if c.strip()]


@pytest.fixture(scope="module")
def real_inputs():
    return inputs()


def run_jitted(src: str, env: dict):
    """``src`` with the array inputs traced (as in a jitted function); None if it needs them
    concrete."""
    code = compile(src, "<case>", "eval")
    namespace = {"jax": jax, "jnp": jnp, "np": np, "lax": jax.lax}
    try:
        return call_traced(lambda **kw: eval(code, namespace, kw), env, True)
    except Exception:  # noqa: BLE001 - e.g. int(x) needs a concrete x
        return None


@pytest.mark.parametrize("src", _cases(EXACT))
def test_transfer_exact(src, real_inputs):
    real = run_expr(src, real_inputs)
    values = {k: abstract(v) for k, v in real_inputs.items()}
    got = abstract_expr(src, values)
    check(got, real, Symbols(real_inputs), src)
    assert got == abstract(real), f"{src}: {describe(got)} vs real {describe(abstract(real))}"
    jitted = run_jitted(src, real_inputs)
    if jitted is not None:
        check(got, jitted, Symbols(real_inputs), f"jit {src}")


@pytest.mark.parametrize("src", _cases(SOUND))
def test_transfer_sound(src, real_inputs):
    real = run_expr(src, real_inputs)
    values = {k: abstract(v) for k, v in real_inputs.items()}
    got = abstract_expr(src, values)
    check(got, real, Symbols(real_inputs), src)
    jitted = run_jitted(src, real_inputs)
    if jitted is not None:
        check(got, jitted, Symbols(real_inputs), f"jit {src}")


def symbolic(real_inputs) -> dict[str, AbsVal]:
    """The inputs as a traced function sees them without evidence: arrays of the argument's own
    (unknown) dtype and shape; Python ints fixed but unknown (static arguments)."""
    out = {}
    for k, v in real_inputs.items():
        if isinstance(v, jax.Array):
            out[k] = array(dt.arg_term(k), None, sh.arg_shape(k))
        elif isinstance(v, int) and not isinstance(v, bool):
            out[k] = py_int(sh.atom_dim(("arg", k)))
        else:
            out[k] = abstract(v)
    return out


def test_symbolic_mode_is_sound(real_inputs):
    """Every case again with symbolic inputs: each claimed fact holds, and every pair of results
    that same_type calls equal (or different) really is."""
    values = symbolic(real_inputs)
    sym = Symbols(real_inputs)
    results, reals = {}, {}
    for src in _cases(EXACT) + _cases(SOUND):
        real = run_expr(src, real_inputs)
        got = abstract_expr(src, values)
        check(got, real, sym, src)
        jitted = run_jitted(src, real_inputs)
        if jitted is not None:
            check(got, jitted, sym, f"jit {src}")
        results[src], reals[src] = got, real
    check_pairs(results, reals, "symbolic")
    known = sum(1 for v in results.values() if v.kind is Kind.ARRAY and v.dtype is not None)
    assert known > 150  # symbolic dtypes still answer most array cases


# -- walker: programs with loops -----------------------------------------------------------------
def _function(src: str, name: str = "prog"):
    tree = ast.parse(HEADER + textwrap.dedent(src))
    fn = next(n for n in tree.body if isinstance(n, ast.FunctionDef) and n.name == name)
    return tree, fn


def _loops(fn) -> list:
    out = []

    def visit(stmts):
        for s in stmts:
            if isinstance(s, (ast.For, ast.While)):
                out.append(s)
            for field in ("body", "orelse", "finalbody", "handlers"):
                inner = getattr(s, field, None)
                if isinstance(inner, list):
                    visit([x for x in inner if isinstance(x, ast.stmt)] +
                          [y for h in inner if isinstance(h, ast.ExceptHandler) for y in h.body])
    visit(fn.body)
    return out


def analyse(src: str, real: dict, mode: str = "concrete", name: str = "prog"):
    """Walk ``prog`` with the parameters' values taken from ``real`` (concretely, or as the
    symbols a traced function gets); check every loop against a real run; return the walker's
    FunctionValues and loops."""
    tree, fn = _function(src, name)
    params = {k: abstract(v) for k, v in real.items()} if mode == "concrete" else symbolic(real)
    values = FunctionValues(fn, imports_of(tree), params)
    loops = _loops(fn)
    code = HEADER + textwrap.dedent(src)
    for i, loop in enumerate(loops):
        if loop not in values._walker.loops:
            continue
        records = run_instrumented(code, name, real, i)
        assert records is not None, "the program runs"
        targets = {n.id for n in ast.walk(loop.target) if isinstance(n, ast.Name)} \
            if isinstance(loop, ast.For) else ()
        check_loop(values, loop, records, Symbols(real), targets, f"loop {i}")
        counter = _counter_name(loop)
        if counter:
            records = run_instrumented(code, name, real, i, counter=counter)
            if records is not None:
                check_loop(values, loop, records, Symbols(real), targets, f"loop {i} traced",
                           index=scan_index())
    return values, loops


def _counter_name(loop):
    if isinstance(loop, ast.For) and isinstance(loop.iter, ast.Call) and \
            isinstance(loop.iter.func, ast.Name):
        if loop.iter.func.id == "range" and isinstance(loop.target, ast.Name):
            return loop.target.id
        if loop.iter.func.id == "enumerate" and isinstance(loop.target, ast.Tuple) and \
                isinstance(loop.target.elts[0], ast.Name):
            return loop.target.elts[0].id
    return None


XS = {"xs": jnp.ones((4, 3), jnp.float32), "n": 3}


def carries(values, loop, *names):
    return loop_carry_types(values, loop, names)


def test_hazard_python_bool_flag():
    # trap: a Python bool that peels step 0 is not an array carry
    values, (loop,) = analyse("""
    def prog(xs, n):
        first = True
        h = jnp.zeros(3)
        for x in xs:
            if first:
                h = x
                first = False
            else:
                h = h + x
        return h
    """, XS)
    t = carries(values, loop, "first", "h")
    assert describe(t["first"].start) == "a Python bool (True)"
    assert describe(t["first"].after_one_step) == "a Python bool (False)"
    assert t["first"].any_step.kind is Kind.BOOL and t["first"].any_step.value is None
    assert same_type(t["h"].start, t["h"].after_one_step) is True  # f32 (3,) both ways


def test_hazard_bf16_state_with_f32_inputs():
    # trap: bfloat16 + float32 promotes: the carry's dtype changes on step 1
    values, (loop,) = analyse("""
    def prog(xs, n):
        h = jnp.zeros(3, jnp.bfloat16)
        for x in xs:
            h = 0.5 * h + x
        return h
    """, XS)
    t = carries(values, loop, "h")["h"]
    assert describe(t.start) == "a bfloat16 array of shape (3,)"
    assert describe(t.after_one_step) == "a float32 array of shape (3,)"
    assert same_type(t.start, t.after_one_step) is False
    assert t.any_step.dtype is None  # changes between iterations: unknown, never a guess


def test_hazard_python_scalar_start_becomes_array():
    # trap: acc = 0.0 is a Python float; after one step a float32 vector
    values, (loop,) = analyse("""
    def prog(xs, n):
        acc = 0.0
        for x in xs:
            acc = acc + x
        return acc
    """, XS)
    t = carries(values, loop, "acc")["acc"]
    assert t.start.kind is Kind.FLOAT
    assert describe(t.after_one_step) == "a float32 array of shape (3,)"
    assert same_type(t.start, t.after_one_step) is False
    assert t.any_step.kind is Kind.UNKNOWN


def test_hazard_int8_result_with_traced_index():
    # trap: int8 + Python int stays int8; int8 + a strong int32 index is int32
    values, (loop,) = analyse("""
    def prog(xs, n):
        acc = jnp.zeros((), jnp.int8)
        for i in range(n):
            acc = acc + i
        return acc
    """, XS)
    t = carries(values, loop, "acc")["acc"]
    assert describe(t.after_one_step) == "an int8 array of shape ()"
    assert describe(t.after_one_step_traced_index) == "an int32 array of shape ()"
    assert same_type(t.start, t.after_one_step) is True
    assert same_type(t.start, t.after_one_step_traced_index) is False
    # fori_loop's counter is weakly typed: int8 survives
    fori = loop_carry_types(values, loop, ["acc"], index=fori_index())["acc"]
    assert same_type(fori.start, fori.after_one_step_traced_index) is True


SHRINKING = """
def prog(xs, n):
    rest = xs
    for x in xs:
        rest = rest[1:]
    return rest
"""


def test_hazard_shrinking_rest():
    # trap: rest = rest[1:] changes shape every step
    values, (loop,) = analyse(SHRINKING, XS)
    t = carries(values, loop, "rest")["rest"]
    assert describe(t.start) == "a float32 array of shape (4, 3)"
    assert describe(t.after_one_step) == "a float32 array of shape (3, 3)"
    assert same_type(t.start, t.after_one_step) is False
    assert t.any_step.shape == (None, 3)
    # without evidence of the size, the change is not provable, and nothing false is claimed
    values, (loop,) = analyse(SHRINKING, XS, mode="symbolic")
    t = carries(values, loop, "rest")["rest"]
    assert same_type(t.start, t.after_one_step) is None


def test_hazard_pad_growth():
    # trap: jnp.pad grows the carry by one each step; provably different even symbolically
    for mode in ("concrete", "symbolic"):
        values, (loop,) = analyse("""
        def prog(xs, n):
            grow = xs[0]
            for x in xs:
                grow = jnp.pad(grow, (0, 1))
            return grow
        """, XS, mode=mode)
        t = carries(values, loop, "grow")["grow"]
        assert same_type(t.start, t.after_one_step) is (False if mode == "concrete" else None)
    values, (loop,) = analyse("""
    def prog(xs: "Float[Array, 'T H']", n):
        grow = xs[0]
        for x in xs:
            grow = jnp.concatenate([grow, x[:1]])
        return grow
    """, XS)
    t = carries(values, loop, "grow")["grow"]
    assert same_type(t.start, t.after_one_step) is False


def test_hazard_python_int_overflow():
    # trap: a Python int seed generator exceeds int32 after one step
    values, (loop,) = analyse("""
    def prog(xs, n):
        seed = 12345
        for _ in range(n):
            seed = seed * 1103515245 + 12345
        return seed
    """, XS)
    t = carries(values, loop, "seed")["seed"]
    assert fits_int32(t.start) is True
    assert fits_int32(t.after_one_step) is False
    assert fits_int32(t.any_step) is None


def test_hazard_tuple_state_none_and_str():
    values, (loop,) = analyse("""
    def prog(xs, n):
        state = (jnp.zeros(3), jnp.zeros(3))
        best = None
        mode = "warmup"
        for x in xs:
            h, c = state
            state = (jnp.tanh(h + x), c + x)
            best = x if best is None else jnp.maximum(best, x)
            mode = "run"
        return state, best, mode
    """, XS)
    t = carries(values, loop, "state", "best", "mode")
    assert same_type(t["state"].start, t["state"].after_one_step) is True
    assert describe(t["state"].start) == \
        "a tuple (a float32 array of shape (3,), a float32 array of shape (3,))"
    assert t["best"].start.kind is Kind.NONE
    assert same_type(t["best"].start, t["best"].after_one_step) is False
    assert t["mode"].after_one_step.value == "run"


def test_hazard_list_window_and_static_size():
    values, (loop,) = analyse("""
    def prog(xs, n):
        window = [xs[0], xs[0]]
        k = 1
        for x in xs:
            window = window[1:] + [x]
            k = k + 1
            y = jnp.zeros(k)
        return window, y
    """, XS)
    t = carries(values, loop, "window", "k", "y")
    assert t["window"].start.kind is Kind.LIST and len(t["window"].after_one_step.items) == 2
    assert t["k"].after_one_step.value == 2
    assert describe(t["y"].after_one_step) == "a float32 array of shape (2,)"
    assert t["y"].any_step.shape == (None,)


def test_global_and_nonlocal_are_unknown():
    values, (loop,) = analyse("""
    def prog(xs, n):
        global counter
        total = 0
        counter = 0
        def bump():
            nonlocal total
            total += 1
        for x in xs:
            counter = counter + 1
            total = total + 1
            bump()
        return total
    """, XS)
    t = carries(values, loop, "counter", "total")
    assert t["counter"].start.kind is Kind.UNKNOWN
    assert t["total"].after_one_step.kind is Kind.UNKNOWN


# -- random programs -----------------------------------------------------------------------------
from hypothesis import HealthCheck, Phase, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

import absval_programs  # noqa: E402

_EXAMPLES = int(os.environ.get("ABSVAL_EXAMPLES", "50"))
_REAL = absval_programs.real_inputs()


def _fresh_inputs() -> dict:
    out = dict(_REAL)
    out["lst"] = list(_REAL["lst"])
    return out


def _final_locals(src: str, inputs: dict, arrays_traced: bool) -> Optional[dict]:
    namespace: dict = {}
    exec(compile(src.replace("    return None\n", "    return dict(locals())\n"), "<p>",
                 "exec"), namespace)
    try:
        return call_traced(namespace["prog"], inputs, arrays_traced)
    except Exception:  # noqa: BLE001 - runs only with concrete arrays (e.g. int(x))
        if not arrays_traced:
            raise
        return None


def check_program(src: str) -> int:
    """Every fact of the walker about ``src`` against real runs; returns the facts checked."""
    tree = ast.parse(src)
    fn = next(n for n in tree.body if isinstance(n, ast.FunctionDef))
    imports = imports_of(tree)
    sym = Symbols(_REAL)
    loops = _loops(fn)
    checked = 0
    # every execution: the arrays concrete (as eagerly) and traced (as under jax.jit)
    for arrays_traced in (False, True):
        checked += _check_program_run(src, fn, imports, sym, loops, arrays_traced)
    return checked


def _check_program_run(src, fn, imports, sym, loops, arrays_traced: bool) -> int:
    final = _final_locals(src, _fresh_inputs(), arrays_traced)
    if final is None:
        return 0
    how = "jit" if arrays_traced else "eager"
    checked = 0
    for mode in ("concrete", "symbolic"):
        params = {k: abstract(v) for k, v in _REAL.items()} if mode == "concrete" \
            else symbolic(_REAL)
        values = FunctionValues(fn, imports, params)
        env = values.env_before(fn.body[-1])
        assert env is not None
        for name, v in env.items():
            if name in final:
                check(v, final[name], sym, f"{how} {mode} final {name}")
                checked += 1
        if mode == "symbolic":
            check_pairs(env, final, f"{how} final")
        for i, loop in enumerate(loops):
            if loop not in values._walker.loops:
                continue
            records = run_instrumented(src, "prog", _fresh_inputs(), i,
                                       arrays_traced=arrays_traced)
            assert records is not None
            targets = {n.id for n in ast.walk(loop.target) if isinstance(n, ast.Name)} \
                if isinstance(loop, ast.For) else ()
            check_loop(values, loop, records, sym, targets, f"{how} {mode} loop {i}")
            counter = _counter_name(loop)
            if counter:
                records = run_instrumented(src, "prog", _fresh_inputs(), i, counter=counter,
                                           arrays_traced=arrays_traced)
                if records is not None:
                    check_loop(values, loop, records, sym, targets,
                               f"{how} {mode} loop {i} traced counter", index=scan_index())
            checked += 1
    return checked


# No shrinking: a failure prints its whole program at once (shrinking re-runs real jax for
# minutes); ABSVAL_EXAMPLES=2000 runs a longer campaign.
@settings(max_examples=_EXAMPLES, deadline=None, derandomize=True,
          suppress_health_check=list(HealthCheck),
          phases=[Phase.explicit, Phase.reuse, Phase.generate])
@given(st.data())
def test_random_programs_are_sound(data):
    builder = absval_programs.Builder(data)
    src = builder.build(data.draw(st.integers(3, 9), label="statements"),
                        lambda s: absval_programs.runs(s, _fresh_inputs()))
    try:
        check_program(src)
    except AssertionError as exc:
        raise AssertionError(f"{exc}\n--- program ---\n{src}") from None


# -- the x64 flag --------------------------------------------------------------------------------
def test_x64_on_and_unknown(real_inputs):
    """With x64 on, default dtypes are 64-bit (jnp.zeros, Python scalars, sums of int32);
    with x64 unknown the domain claims nothing that depends on it, under either setting."""
    values = {k: abstract(v) for k, v in real_inputs.items()}
    sym = Symbols(real_inputs)
    exact = inexact = 0
    for src in _cases(EXACT):
        try:
            with jax.enable_x64(True):
                real64 = run_expr(src, real_inputs)
        except TypeError:
            continue  # lax.add(i, 1): int32 with an int64 scalar raises with x64 on
        real32 = run_expr(src, real_inputs)
        got = abstract_expr(src, values, x64=True)
        check(got, real64, sym, f"x64 {src}")
        if got == abstract(real64):
            exact += 1
        else:
            inexact += 1
        unknown = abstract_expr(src, values, x64=None)
        check(unknown, real64, sym, f"x64=None (on) {src}")
        check(unknown, real32, sym, f"x64=None (off) {src}")
    assert inexact <= exact // 20, (exact, inexact)
    with jax.enable_x64(True):
        for src, want in (("jnp.zeros(3)", "float64"), ("jnp.asarray(1.0)", "float64"),
                          ("i.sum()", "int64"), ("jnp.arange(3)", "int64"), ("c + 1", "int8")):
            assert abstract_expr(src, values, x64=True).dtype == want
            assert str(run_expr(src, real_inputs).dtype) == want
    assert abstract_expr("jnp.zeros(3)", values, x64=None).dtype is None
    assert abstract_expr("c + 1", values, x64=None).dtype == "int8"  # does not depend on it


# -- every entry of the call table, on every kind of operand ------------------------------------
import jax.scipy.special  # noqa: E402,F401  (the table names jax.scipy.special.logsumexp)

from jaxloop_lint.analysis.absval.calls import TABLE  # noqa: E402

SWEEP = {
    "sb": jnp.array([True, False]), "s8": jnp.ones(2, jnp.int8), "su": jnp.ones(2, jnp.uint8),
    "s32": jnp.int32(3), "swi": jnp.asarray(2), "swf": jnp.asarray(0.5),
    "sbf": jnp.ones(2, jnp.bfloat16), "sf16": jnp.ones(2, jnp.float16),
    "sm": jnp.ones((2, 3), jnp.float32), "sc": jnp.ones(2, jnp.complex64), "spf": 0.5,
    "spi": 2, "spb": True, "skey": jax.random.PRNGKey(1),
}
_PAIRS = [("sb", "sb"), ("s8", "spi"), ("s8", "spf"), ("su", "s8"), ("s32", "swf"),
          ("swi", "swf"), ("swf", "swf"), ("sbf", "sm"), ("sbf", "spf"), ("sf16", "sbf"),
          ("sm", "sm"), ("sc", "spf"), ("spf", "spi"), ("sb", "spb"), ("sm", "spi"),
          ("s32", "spb")]


def _alias(qual: str) -> str:
    return qual.replace("jax.numpy.", "jnp.", 1).replace("jax.lax.", "lax.", 1)


def test_call_table_sweep():
    """Each function of the table with one and with two operands of every kind it accepts:
    the domain's answer is sound, and known for most."""
    values = {k: abstract(v) for k, v in SWEEP.items()}
    sym = Symbols(SWEEP)
    tried = known = 0
    filtering = jax.config.jax_traceback_filtering
    jax.config.update("jax_traceback_filtering", "off")  # most calls raise: keep that cheap
    try:
        tried, known = _sweep(values, sym)
    finally:
        jax.config.update("jax_traceback_filtering", filtering)
    assert tried > 250 and known > 0.75 * tried, (tried, known)


_FULL_SWEEP = os.environ.get("ABSVAL_SWEEP") == "full"
_ONE = list(SWEEP) if _FULL_SWEEP else ["sb", "s8", "swi", "swf", "sbf", "sm", "spf", "skey"]
_TWO = _PAIRS if _FULL_SWEEP else [("sb", "sb"), ("s8", "spf"), ("s32", "swf"), ("sbf", "sm"),
                                   ("swi", "swf"), ("sm", "spi")]


def _sweep(values, sym):
    tried = known = 0
    for qual in sorted(TABLE):
        if qual == "jax.numpy.dtype":
            continue
        name = _alias(qual)
        calls = [f"{name}({x})" for x in _ONE] + [f"{name}({x}, {y})" for x, y in _TWO]
        for src in calls:
            try:
                real = run_expr(src, SWEEP, eager=False)
            except Exception:  # noqa: BLE001 - jax does not accept these operands
                continue
            if isinstance(real, (list, tuple, dict)) or real is None:
                continue
            got = abstract_expr(src, values)
            check(got, real, sym, src)
            tried += 1
            known += got == abstract(real)
    return tried, known


# -- parameters, statements, queries -------------------------------------------------------------
def test_param_evidence():
    tree = ast.parse(HEADER + textwrap.dedent("""
    def f(self, x: jax.Array, y: Float[Array, "T H"], z: Float32[Array, "b"], n: int,
          params: dict, flag=True, *rest, **kw):
        pass
    """))
    fn = tree.body[-1]
    p = param_values(fn, static=frozenset({"n"}), method=True)
    assert p["self"].kind is Kind.UNKNOWN
    assert describe(p["x"]) == "an array with the dtype of `x` of shape x.shape"
    assert describe(p["y"]) == "an array with the dtype of `y` of shape (T, H)"
    assert p["y"].dtype.kinds == frozenset("f")
    assert p["z"].dtype == "float32" and p["z"].weak is None and len(p["z"].shape) == 1
    assert p["n"].kind is Kind.INT and p["n"].value is not None  # fixed for one trace
    assert p["params"].kind is Kind.UNKNOWN  # a container, not one array
    assert p["flag"].kind is Kind.UNKNOWN  # the default (Python) or a traced argument
    assert p["rest"].kind is Kind.TUPLE and p["kw"].kind is Kind.DICT
    tree2 = ast.parse(HEADER + "def g(params, x):\n    return params['w'] @ x\n")
    used = param_values(tree2.body[-1], imports=imports_of(tree2))
    assert used["params"].kind is Kind.UNKNOWN and used["x"].kind is Kind.ARRAY
    untraced = param_values(fn, traced=False)
    assert untraced["x"].kind is Kind.ARRAY and untraced["n"].kind is Kind.INT
    assert untraced["params"].kind is Kind.UNKNOWN


def test_annotation_evidence_proves_carries():
    # a float annotation lets h * 0.9 keep h's own type: a Python float never wins over it
    src = """
    def prog(h: "Float[Array, 'd']", xs: "Float[Array, 'T d']"):
        for x in xs:
            h = 0.9 * h + x
        return h
    """
    tree, fn = _function(src)
    values = FunctionValues(fn, imports_of(tree), param_values(fn))
    t = loop_carry_types(values, _loops(fn)[0], ["h"])["h"]
    assert same_type(t.start, t.after_one_step) is None  # h and x may differ in dtype
    src2 = src.replace("h = 0.9 * h + x", "h = 0.9 * h")
    tree, fn = _function(src2)
    values = FunctionValues(fn, imports_of(tree), param_values(fn))
    t = loop_carry_types(values, _loops(fn)[0], ["h"])["h"]
    assert same_type(t.start, t.after_one_step) is True


def test_walrus_else_match_nested_try():
    real = {"xs": jnp.ones((4, 3), jnp.float32), "n": 3}
    values, loops = analyse("""
    def prog(xs, n):
        k = 0
        total = jnp.zeros((), jnp.int32)
        while (k := k + 1) < n:
            total = total + k
        for x in xs:
            if x.sum() > 100:
                break
        else:
            found = None
        acc = jnp.zeros(3)
        for x in xs:
            for y in xs:
                acc = acc + x * y
                try:
                    if k > 1:
                        break
                finally:
                    k = k + 1
        match n:
            case 3:
                label = "three"
            case _:
                label = "other"
        squares = [(q := v) * v for v in range(n)]
        del squares[0]
        return acc, label, found, total
    """, real)
    final = values.env_before(values.function.body[-1])
    assert final["label"].kind is Kind.STR  # patterns are not matched: either case
    assert final["acc"].dtype == "float32" and final["acc"].shape == (3,)
    assert final["total"].dtype == "int32" and final["total"].weak is False
    assert final["squares"].kind is Kind.LIST and final["q"].kind is Kind.UNKNOWN
    assert final["found"].kind is Kind.NONE
    assert len(loops) == 4


def test_narrowing_by_known_values():
    real = {"xs": jnp.ones((4, 3), jnp.float32), "n": 3}
    values, (loop,) = analyse("""
    def prog(xs, n):
        best = None
        for x in xs:
            if best is None:
                best = x
            else:
                best = jnp.maximum(best, x)
        return best
    """, real)
    t = carries(values, loop, "best")["best"]
    assert describe(t.after_one_step) == "a float32 array of shape (3,)"
    # the second step takes the else branch: it too is a float32 (3,)
    second = values.step(loop, values.step(loop))
    assert describe(second["best"]) == "a float32 array of shape (3,)"
    assert t.any_step.kind is Kind.UNKNOWN  # None or an array


def test_contexts_and_unknown_calls():
    real = {"xs": jnp.ones((4, 3), jnp.float32), "n": 3}
    values, loops = analyse("""
    def prog(xs, n):
        out = [xs[0]]
        alias = out
        with jax.named_scope("s"):
            h = xs[0] * 2
        with open(__file__) as fh:
            g = h + 1
        out.append(h)
        n2 = len(alias)
        return h, g, n2
    """, real)
    final = values.env_before(values.function.body[-1])
    assert final["h"].dtype == "float32" and final["g"].dtype == "float32"
    assert final["out"].length == 2
    assert final["alias"].items is None  # may be the same list: contents forgotten
    assert final["n2"].value is None


def test_module_constants():
    from jaxloop_lint.analysis.absval import module_lookup
    tree = ast.parse(HEADER + textwrap.dedent("""
    EPS = 1e-6
    DTYPE = jnp.bfloat16
    TABLE = [1, 2]
    COUNT = 0
    def bump():
        global COUNT
        COUNT += 1
    def prog(x):
        return x * EPS
    """))
    lookup = module_lookup(tree, imports_of(tree))
    assert lookup("EPS").value == 1e-6
    assert lookup("DTYPE").dtype == "bfloat16"
    assert lookup("TABLE").kind is Kind.LIST and lookup("TABLE").items is None
    assert lookup("COUNT").kind is Kind.UNKNOWN  # rebound by bump()
    assert lookup("bump").kind is Kind.UNKNOWN and lookup("len") is None


def test_same_type_and_describe():
    f32 = array("float32", False, (3,))
    assert same_type(f32, f32) is True
    assert same_type(f32, array("float32", True, (3,))) is False  # weak flag differs
    assert same_type(f32, array("float32", None, (3,))) is None
    assert same_type(f32, array("float32", False, (4,))) is False
    assert same_type(f32, array(None, False, (3,))) is None
    assert same_type(f32, py_int(1)) is False
    assert same_type(UNKNOWN, f32) is None
    n = sh.atom_dim(("arg", "n"))
    assert same_type(array("int8", False, (n,)), array("int8", False, (sh.dim_add(n, 1),))) \
        is False
    assert describe(array("float32", True, ())) == "a weakly typed float32 array of shape ()"
    assert describe(array(None, None, None)) == "an array of unknown dtype of unknown shape"
    assert describe(py_int(lo=0)) == "a Python int (0 <= n)"
    assert fits_int32(py_int(2 ** 31)) is False and fits_int32(py_int(5)) is True


def test_nested_loops_stay_cheap():
    """Loop-body passes grow slowly with nesting: each fact changes at most once or twice,
    and a nested loop is walked again only when what enters it changed."""
    depth = 5
    body, indent = [], "    "
    for level in range(depth):
        body.append(f"{indent}for x{level} in xs:")
        indent += "    "
        body.append(f"{indent}acc{level} = acc{level} + x{level}")
    src = "def prog(xs):\n" + "".join(f"    acc{i} = 0.0\n" for i in range(depth)) + \
        "\n".join(body) + "\n    return acc0\n"
    tree = ast.parse(HEADER + src)
    fn = tree.body[-1]
    values = FunctionValues(fn, imports_of(tree), param_values(fn))
    assert values.passes <= 60, values.passes  # 3 ** 5 = 243 without the memo


@pytest.mark.parametrize("body", [
    "y = " + "-" * 600 + "h",
    "y = h" + "[0]" * 600,
    "y = " + " if h else ".join(["h"] * 600),
    "y = " + "jnp.tanh(" * 150 + "(y := h)" + ")" * 150,
    "\n    ".join(["n = n // 2 + n"] * 1500),
    "\n    ".join(["t = (t, h)"] * 1500),
    "\n    ".join(["h = h[:, None] + h.sum(0)"] * 1500),
    "\n    ".join(["out.append(out)"] * 300),
])
def test_pathological_code_stays_cheap(body):
    """Deep expressions and long chains: no RecursionError, and facts that would grow past a
    bound become unknown instead (the walk stays linear)."""
    src = ("import jax.numpy as jnp\ndef prog(h, xs, n: int):\n    t = ()\n    out = []\n    "
           + body + "\n    for x in xs:\n        h = h + x\n    return h\n")
    tree = ast.parse(src)
    fn = tree.body[-1]
    values = FunctionValues(fn, imports_of(tree), param_values(fn, static=frozenset({"n"})))
    loop = next(s for s in fn.body if isinstance(s, ast.For))
    assert loop_carry_types(values, loop, ["h"])["h"].start.kind is not None


def test_step_with_a_given_target():
    values, (loop,) = analyse("""
    def prog(xs, n):
        acc = jnp.zeros(3, jnp.bfloat16)
        for x in xs:
            acc = acc + x
        return acc
    """, XS)
    f32 = values.step(loop)["acc"]
    bf16 = values.step(loop, target=array("bfloat16", False, (3,)))["acc"]
    assert (f32.dtype, bf16.dtype) == ("float32", "bfloat16")


@pytest.mark.parametrize("src", ["jnp.power(wv, c)", "jnp.power(w, wi)", "wv ** c", "c ** wi",
                                 "jnp.power(a, c)", "jnp.power(bs, bs)", "w ** -1", "a ** i",
                                 "jnp.power(w, k)", "c ** k", "jnp.power(~k, jnp.power(w, k))"])
def test_power_weak_flags(src, real_inputs):
    # found by the random programs: a weak float ** an int8 array is a *strong* float32 when
    # traced, and keeps the float's weak type when the exponent is concrete (eager)
    values = {k: abstract(v) for k, v in real_inputs.items()}
    got = abstract_expr(src, values)
    check(got, run_expr(src, real_inputs), Symbols(real_inputs), src)  # traced
    code = compile(src, "<case>", "eval")
    eager = eval(code, {"jax": jax, "jnp": jnp, "np": np, "lax": jax.lax}, dict(real_inputs))
    check(got, eager, Symbols(real_inputs), f"eager {src}")
