"""The equivalence harness (tests/equivalence.py) must accept correct loop rewrites and reject broken
ones for the *specific* reason (the cases of docs/design/loop-semantics.md)."""
import os
import sys

import pytest

jax = pytest.importorskip("jax")
import jax.numpy as jnp  # noqa: E402
import numpy as np  # noqa: E402

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from equivalence import (  # noqa: E402
    KINDS, Problem, Report, assert_equivalent, check_equivalent, compare_trees, jaxpr_stats,
    loop_primitives)

TS = (8, 32)
H = 8


def only(report: Report, *kinds: str) -> None:
    """The report failed, and only for the given kinds (each of them present)."""
    assert not report.ok, report
    assert report.kinds == set(kinds), report


# --------------------------------------------------------------------------------------------------
# RNN with collected outputs
# --------------------------------------------------------------------------------------------------

def rnn_args(T):
    k1, k2 = jax.random.split(jax.random.fold_in(jax.random.key(0), T))
    return jax.random.normal(k1, (H, H)) / 3, jax.random.normal(k2, (T, H))


def rnn_orig(W, xs):
    h = jnp.zeros(H)
    outs = []
    for x in xs:
        h = jnp.tanh(W @ h + x)
        outs.append(h)
    return h, jnp.stack(outs)


def rnn_scan(W, xs):
    def step(h, x):
        h = jnp.tanh(W @ h + x)
        return h, h
    return jax.lax.scan(step, jnp.zeros(H), xs)


def rnn_bad_reverse(W, xs):                       # bug: reverse=True visits xs backwards
    def step(h, x):
        h = jnp.tanh(W @ h + x)
        return h, h
    return jax.lax.scan(step, jnp.zeros(H), xs, reverse=True)


def rnn_still_unrolled(W, xs):                    # a "rewrite" that is the Python loop again
    return rnn_orig(W, xs)


def test_a_correct_rnn_rewrite_is_ok():
    rep = check_equivalent(rnn_orig, rnn_scan, rnn_args, trip_counts=TS, grad="auto")
    assert rep.ok, rep
    assert "OK" in str(rep)
    assert any("grads w.r.t. 2 leaves" in n for n in rep.notes), rep
    assert any("loop primitives ['scan']" in n for n in rep.notes), rep


def test_b_reverse_bug_values_and_grads_differ():
    rep = check_equivalent(rnn_orig, rnn_bad_reverse, rnn_args, trip_counts=TS, grad="auto")
    only(rep, "values", "grad")
    # both outputs (final h and the stacked ys) differ at every trip count
    assert {(p.trip_count, p.message.split(":")[0]) for p in rep.of_kind("values")} == {
        (T, name) for T in TS for name in ("out[0]", "out[1]")}
    assert all("max|diff|" in p for p in rep.of_kind("values"))
    assert {p.message.split(":")[0] for p in rep.of_kind("grad")} == {"d loss/d args[0]", "d loss/d args[1]"}


def test_c_still_unrolled_is_caught_structurally():
    rep = check_equivalent(rnn_orig, rnn_still_unrolled, rnn_args, trip_counts=TS)
    only(rep, "no_loop", "unrolled")
    (grow,) = rep.of_kind("unrolled")
    n8, n32 = (jaxpr_stats(rnn_orig, *rnn_args(T))[0] for T in TS)
    assert n32 > n8
    assert f"{n8} eqns at T=8 vs {n32} eqns at T=32" in grow
    assert len(rep.of_kind("no_loop")) == len(TS)


# --------------------------------------------------------------------------------------------------
# break: masked scan (differentiable) vs while_loop (reverse mode fails)
# --------------------------------------------------------------------------------------------------

THR = 3.0


def brk_args(T):
    return (jax.random.normal(jax.random.fold_in(jax.random.key(1), T), (T, H)),)


def brk_orig(xs):               # TracerBoolConversionError under jit; runs under disable_jit
    acc = jnp.zeros((), xs.dtype)
    for x in xs:
        if acc > THR:
            break
        acc = acc + jnp.sum(x ** 2) * 0.1
    return acc


def brk_masked_scan(xs):
    def step(c, x):
        acc, done = c
        done = done | (acc > THR)
        return (jnp.where(done, acc, acc + jnp.sum(x ** 2) * 0.1), done), None
    (acc, _), _ = jax.lax.scan(step, (jnp.zeros((), xs.dtype), False), xs)
    return acc


def brk_while(xs):
    T = xs.shape[0]

    def body(s):
        i, acc = s
        return i + 1, acc + jnp.sum(xs[i] ** 2) * 0.1
    return jax.lax.while_loop(lambda s: (s[0] < T) & ~(s[1] > THR), body, (0, jnp.zeros((), xs.dtype)))[1]


def test_break_actually_fires_in_these_inputs():
    for T in TS:
        (xs,) = brk_args(T)
        steps = np.cumsum(np.sum(np.asarray(xs) ** 2, axis=1) * 0.1)
        assert steps[0] < THR < steps[-2]   # the break is taken, so the mask matters


def test_d_break_to_masked_scan_is_ok_with_grads():
    rep = check_equivalent(brk_orig, brk_masked_scan, brk_args, trip_counts=TS, grad="auto")
    assert rep.ok, rep


def test_e_break_to_while_loop_grad_fails_unless_documented_non_differentiable():
    rep = check_equivalent(brk_orig, brk_while, brk_args, trip_counts=TS, grad="auto",
                           expect_primitive="while")
    only(rep, "grad_error")
    assert "Reverse-mode differentiation does not work" in rep.problems[0]

    rep = check_equivalent(brk_orig, brk_while, brk_args, trip_counts=TS, grad="auto",
                           expect_primitive="while", differentiable=False)
    assert rep.ok, rep
    assert any("forward-mode tangents checked" in n for n in rep.notes), rep

    # scan was demanded, the rewrite produced a while loop
    rep = check_equivalent(brk_orig, brk_while, brk_args, trip_counts=TS, expect_primitive="scan")
    only(rep, "no_loop")
    assert "loop primitives found: ['while']" in rep.problems[0]


def test_jvp_check_catches_wrong_tangents():
    def brk_while_wrong(xs):                   # same forward values, wrong derivative
        return brk_while(jax.lax.stop_gradient(xs))
    rep = check_equivalent(brk_orig, brk_while_wrong, brk_args, trip_counts=TS, grad="auto",
                           differentiable=False)
    only(rep, "jvp")


# masked scan with a naive where: NaN gradients (docs/design/loop-semantics.md, break)
def log_args(T):
    z = jax.random.uniform(jax.random.fold_in(jax.random.key(2), T), (T,), minval=0.5, maxval=2.0)
    return (z.at[T // 2].set(0.0),)


def log_orig(z):
    acc = jnp.zeros(())
    for zi in z:
        if zi <= 0.0:
            break
        acc = acc + jnp.log(zi)
    return acc


def log_masked_naive(z):
    def step(c, zi):
        acc, done = c
        done = done | (zi <= 0.0)
        return (jnp.where(done, acc, acc + jnp.log(zi)), done), None
    return jax.lax.scan(step, (jnp.zeros(()), False), z)[0][0]


def log_masked_double_where(z):
    def step(c, zi):
        acc, done = c
        done = done | (zi <= 0.0)
        safe = jnp.where(done, 1.0, zi)
        return (jnp.where(done, acc, acc + jnp.log(safe)), done), None
    return jax.lax.scan(step, (jnp.zeros(()), False), z)[0][0]


def test_masked_scan_nan_gradient_is_caught_and_double_where_passes():
    rep = check_equivalent(log_orig, log_masked_naive, log_args, trip_counts=TS, grad="auto")
    only(rep, "grad")
    assert "candidate has NaN" in rep.problems[0]
    assert check_equivalent(log_orig, log_masked_double_where, log_args, trip_counts=TS, grad="auto").ok


# --------------------------------------------------------------------------------------------------
# dtype / weak type / structure
# --------------------------------------------------------------------------------------------------

def cnt_orig(xs):
    n = 0
    for _ in xs:
        n = n + 1
    return jnp.asarray(n) * 1.0


def cnt_f16(xs):                                 # wrong dtype of the carry
    return jax.lax.scan(lambda n, x: (n + 1.0, None), jnp.float16(0), xs)[0]


def test_f_dtype_drift_is_an_aval_problem():
    rep = check_equivalent(cnt_orig, cnt_f16, brk_args, trip_counts=TS)
    only(rep, "aval")
    assert "float32[] != float16[]" in rep.problems[0]


def pyint_orig(xs):                                  # returns a Python int: weak int32 as JAX sees it
    n = 0
    for _ in xs:
        n = n + 1
    return n


def test_weak_type_drift_is_reported_separately():
    weak = lambda xs: jax.lax.scan(lambda n, x: (n + 1, None), 0, xs)[0]
    strong = lambda xs: jax.lax.scan(lambda n, x: (n + 1, None), jnp.int32(0), xs)[0]
    assert check_equivalent(pyint_orig, weak, brk_args, trip_counts=TS).ok
    rep = check_equivalent(pyint_orig, strong, brk_args, trip_counts=TS)
    only(rep, "weak_type")
    assert "~int32[] != int32[]" in rep.problems[0]
    assert check_equivalent(pyint_orig, strong, brk_args, trip_counts=TS, check_weak_type=False).ok


def test_g_structure_mismatch_is_reported():
    as_list = lambda W, xs: list(rnn_scan(W, xs))
    rep = check_equivalent(rnn_orig, as_list, rnn_args, trip_counts=TS)
    only(rep, "structure")
    assert "PyTreeDef((*, *))" in rep.problems[0] and "PyTreeDef([*, *])" in rep.problems[0]

    extra = lambda W, xs: (*rnn_scan(W, xs), jnp.int32(xs.shape[0]))
    only(check_equivalent(rnn_orig, extra, rnn_args, trip_counts=TS), "structure")

    as_dict = lambda W, xs: dict(zip("hy", rnn_scan(W, xs)))
    only(check_equivalent(rnn_orig, as_dict, rnn_args, trip_counts=TS), "structure")


# --------------------------------------------------------------------------------------------------
# PRNG
# --------------------------------------------------------------------------------------------------

def rng_args(T):
    return jax.random.key(1), jax.random.normal(jax.random.fold_in(jax.random.key(3), T), (T, H))


def rng_orig(key, xs):
    outs = []
    for x in xs:
        key, sub = jax.random.split(key)
        outs.append(x + jax.random.normal(sub, x.shape))
    return key, jnp.stack(outs)


def rng_carried(key, xs):
    def step(k, x):
        k, sub = jax.random.split(k)
        return k, x + jax.random.normal(sub, x.shape)
    return jax.lax.scan(step, key, xs)


def rng_presplit(key, xs):                         # valid idiom, different numbers
    ks = jax.random.split(key, xs.shape[0])
    ys = jax.lax.scan(lambda c, kx: (c, kx[1] + jax.random.normal(kx[0], kx[1].shape)), None, (ks, xs))[1]
    return key, ys


def test_i_prng_carried_key_ok_presplit_differs():
    rep = check_equivalent(rng_orig, rng_carried, rng_args, trip_counts=TS)
    assert rep.ok, rep
    rep = check_equivalent(rng_orig, rng_presplit, rng_args, trip_counts=TS)
    only(rep, "values")
    msgs = {p.message.split(":")[0] for p in rep.problems}
    assert msgs == {"out[0]", "out[1]"}           # the final key (exact) and the samples
    assert all("exact comparison of key<fry>" in p for p in rep.problems if p.message.startswith("out[0]"))


# --------------------------------------------------------------------------------------------------
# flax nnx: Variable mutation (R12)
# --------------------------------------------------------------------------------------------------

nnx = pytest.importorskip("flax.nnx")


class Count(nnx.Variable):
    pass


class Cell(nnx.Module):
    def __init__(self, seed=0):
        self.W = nnx.Param(jax.random.normal(jax.random.key(seed), (H, H)) / 3)
        self.count = Count(jnp.array(0))

    def loop(self, xs):                        # original: mutates the counter every iteration
        h = jnp.zeros(H)
        for x in xs:
            self.count[...] = self.count[...] + 1
            h = jnp.tanh(self.W[...] @ h + x)
        return h

    def loop_scan(self, xs):                   # correct: carry the value, write it back once
        def step(c, x):
            h, count = c
            return (jnp.tanh(self.W[...] @ h + x), count + 1), None
        (h, count), _ = jax.lax.scan(step, (jnp.zeros(H), self.count[...]), xs)
        self.count[...] = count
        return h

    def loop_scan_no_writeback(self, xs):     # bug: the counter is never written back
        def step(c, x):
            h, count = c
            return (jnp.tanh(self.W[...] @ h + x), count + 1), None
        (h, _), _ = jax.lax.scan(step, (jnp.zeros(H), self.count[...]), xs)
        return h


def cell_args(T):
    return Cell(), rnn_args(T)[1]


def test_h_nnx_write_back_ok_and_missing_write_back_is_a_state_problem():
    rep = check_equivalent(Cell.loop, Cell.loop_scan, cell_args, trip_counts=TS, grad="auto")
    assert rep.ok, rep
    assert any("grads w.r.t. 2 leaves" in n for n in rep.notes), rep   # W and xs (count is an int)

    rep = check_equivalent(Cell.loop, Cell.loop_scan_no_writeback, cell_args, trip_counts=TS)
    only(rep, "state")
    for T, p in zip(TS, rep.problems):
        assert p.message.startswith("args[0].count:") and p.trip_count == T
        assert f"reference {T} vs candidate 0" in p, p

    # comparing only Params hides the counter
    assert check_equivalent(Cell.loop, Cell.loop_scan_no_writeback, cell_args, trip_counts=TS,
                            nnx_state=nnx.Param).ok


def test_nnx_inputs_are_not_mutated_and_copies_are_independent():
    cell = Cell()
    xs = jnp.ones((5, H))
    check_equivalent(Cell.loop, Cell.loop_scan, lambda T: (cell, xs), trip_counts=(5, 5))
    assert int(cell.count[...]) == 0            # make_args' module was never touched


def test_nnx_lifted_scan_with_module_in_carry():
    class BN(nnx.Module):
        def __init__(self):
            self.bn = nnx.BatchNorm(3, rngs=nnx.Rngs(0))

        def loop(self, xs):
            acc = 0.0
            for t in range(xs.shape[0]):
                acc = acc + self.bn(xs[t]).sum()
            return acc

        def lifted(self, xs):
            def step(carry, x):
                mod, acc = carry
                return (mod, acc + mod.bn(x).sum()), None
            (_, acc), _ = nnx.scan(step, in_axes=(nnx.Carry, 0), out_axes=(nnx.Carry, 0))((self, 0.0), xs)
            return acc

        def lax_copy(self, xs):            # jax.lax loop with the module in the carry: updates a copy
            def step(carry, x):
                mod, acc = carry
                return (mod, acc + mod.bn(x).sum()), None
            (_, acc), _ = jax.lax.scan(step, (self, 0.0), xs)
            return acc

    args = lambda T: (BN(), jax.random.normal(jax.random.fold_in(jax.random.key(5), T), (T, 2, 3)))
    rep = check_equivalent(BN.loop, BN.lifted, args, trip_counts=(4, 8))
    assert rep.ok, rep
    rep = check_equivalent(BN.loop, BN.lax_copy, args, trip_counts=(4, 8))
    only(rep, "state")
    assert {p.message.split(":")[0] for p in rep.problems} == {"args[0].bn.mean", "args[0].bn.var"}


# --------------------------------------------------------------------------------------------------
# helpers and API
# --------------------------------------------------------------------------------------------------

def test_jaxpr_helpers_recurse_into_sub_jaxprs():
    W, xs = rnn_args(8)
    assert loop_primitives(rnn_scan, W, xs) == {"scan"}
    assert loop_primitives(jax.jit(rnn_scan), W, xs) == {"scan"}            # inside a jit/pjit eqn
    assert loop_primitives(rnn_orig, W, xs) == set()

    @jax.custom_jvp
    def cj(W, xs):
        return rnn_scan(W, xs)[0]
    cj.defjvp(lambda p, t: (cj(*p), jnp.zeros(H)))
    assert loop_primitives(cj, W, xs) == {"scan"}                           # custom_jvp call_jaxpr

    def in_cond(W, xs):
        return jax.lax.cond(xs[0, 0] > 0, lambda: rnn_scan(W, xs)[0], lambda: jnp.zeros(H))
    assert loop_primitives(in_cond, W, xs) == {"scan"}                      # cond branches
    assert loop_primitives(lambda n: jax.lax.fori_loop(0, n, lambda i, c: c + 1, 0), 5) == {"while"}
    assert loop_primitives(lambda n: jax.lax.fori_loop(0, n, lambda i, c: c + 1, 0), 5,
                           static_argnums=(0,)) == {"scan"}
    n, prims = jaxpr_stats(jax.jit(rnn_scan), W, xs)
    assert prims["scan"] == 1 and n == sum(prims.values()) and n > 1


def test_python_scalar_args_are_static_by_default():
    def tri_orig(xs, n):                  # n: Python int loop bound
        acc = jnp.zeros(())
        for i in range(n):
            acc = acc + xs[i]
        return acc

    def tri_fori(xs, n):
        return jax.lax.fori_loop(0, n, lambda i, a: a + xs[i], jnp.zeros(()))

    args = lambda T: (jnp.arange(T, dtype=jnp.float32), T - 2)
    rep = check_equivalent(tri_orig, tri_fori, args, trip_counts=TS, grad="auto", expect_primitive="scan")
    assert rep.ok, rep                     # static bound: fori_loop lowers to scan, reverse-differentiable
    rep = check_equivalent(tri_orig, tri_fori, args, trip_counts=TS, grad="auto", static_argnums=())
    only(rep, "grad_error")               # traced bound: while, not reverse-differentiable


def test_reference_error_and_candidate_error_are_reported():
    def boom(xs):
        raise RuntimeError("kaboom")
    only(check_equivalent(brk_orig, boom, brk_args, trip_counts=TS), "candidate_error", "trace_error")
    only(check_equivalent(boom, brk_masked_scan, brk_args, trip_counts=TS), "reference_error")


def test_compare_trees_exact_for_ints_and_nan_equal():
    assert compare_trees({"a": jnp.array([1, 2])}, {"a": jnp.array([1, 3])})[0].kind == "values"
    assert not compare_trees(jnp.array([np.nan, 1.0]), jnp.array([np.nan, 1.0 + 1e-7]))
    assert compare_trees(jnp.array([np.nan, 1.0]), jnp.array([0.0, 1.0]))[0].kind == "values"


def test_assert_equivalent_lists_every_problem():
    assert_equivalent(rnn_orig, rnn_scan, rnn_args, trip_counts=TS)
    with pytest.raises(AssertionError) as exc:
        assert_equivalent(rnn_orig, rnn_still_unrolled, rnn_args, trip_counts=TS)
    text = str(exc.value)
    assert "[no_loop T=8]" in text and "[no_loop T=32]" in text and "[unrolled]" in text


def test_problem_kinds_are_documented():
    p = Problem("values", "x")
    assert isinstance(p, str) and p.kind == "values" and p == "[values] x"
    with pytest.raises(ValueError):
        Problem("nonsense", "x")
    assert {"structure", "aval", "weak_type", "values", "state", "grad", "grad_error", "no_loop",
            "unrolled"} <= set(KINDS)


def test_refuses_to_run_under_disable_jit():
    with jax.disable_jit(), pytest.raises(RuntimeError):
        check_equivalent(rnn_orig, rnn_scan, rnn_args, trip_counts=TS)
