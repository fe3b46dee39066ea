"""Generated programs: lint and fix never crash, the output parses, fixing twice = fixing once,
files without a fix stay byte-identical, and fixed JAX loop programs compute what the originals
compute. Short and deterministic here (derandomized Hypothesis); ``benchmarks/fuzz.py --n N`` is
the long campaign with the same checks (tests/fuzzcheck.py)."""
from __future__ import annotations

import os
import sys

import hypothesmith
import pytest
from hypothesis import HealthCheck, given, settings

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import fuzzcheck  # noqa: E402
import loopgen  # noqa: E402

# hypothesmith writes code such as `1()` that compiles with a SyntaxWarning
pytestmark = pytest.mark.filterwarnings("ignore::SyntaxWarning")

SHORT = settings(derandomize=True, deadline=None, database=None, print_blob=True,
                 suppress_health_check=list(HealthCheck))


@settings(SHORT, max_examples=50)
@given(code=hypothesmith.from_grammar())
def test_arbitrary_python(code):
    source = fuzzcheck.jax_module(code)
    for unsafe in (False, True):
        outcome = fuzzcheck.check_static(source, unsafe=unsafe)
        assert outcome.ok, f"{outcome.failure}: {outcome.detail}\n--- source:\n{source}"


@settings(SHORT, max_examples=30)
@given(program=loopgen.programs())
def test_generated_jax_loops(program):
    outcome = fuzzcheck.check_static(program.source, unsafe=True)
    assert outcome.ok, f"{outcome.failure}: {outcome.detail}\n--- source:\n{program.source}"
    if outcome.applied:
        ran = fuzzcheck.check_runs(program, outcome.fixed)
        assert ran.ok, f"{ran.failure}: {ran.detail}\n--- source:\n{program.source}" \
                       f"\n--- fixed:\n{outcome.fixed}"


def test_generator_covers_every_part():
    """The campaign's generator reaches every part it claims to build."""
    features = set()
    for seed in range(400):
        features.update(loopgen.from_seed(seed).features)
    expected = {"for_x", "reversed", "enumerate", "enumerate_reversed", "zip", "zip_enumerate",
                "range_shape", "range_len", "range_from1", "range_step", "range_negative",
                "range_traced", "while", "while_float_condition", "nnx", "nested", "break",
                "continue", "append_axis0", "append_axis1", "two_loops", "read_after_loop"}
    assert expected <= features, expected - features


def test_generator_programs_get_fixed():
    applied = sum(bool(fuzzcheck.check_static(loopgen.from_seed(s).source, unsafe=True).applied)
                  for s in range(40))
    assert applied >= 15, applied


# The checks themselves must be able to fail.

RNN = loopgen.Program('''\
import jax
import jax.numpy as jnp
import numpy as np


@jax.jit
def f(xs):
    h = jnp.zeros(3)
    for x in xs:
        h = h * 0.5 + x
    return h


def make_args(T):
    return (jnp.asarray(np.arange(T * 3, dtype=np.float32).reshape(T, 3)),)
''', "f", 3, ())


def test_check_runs_catches_a_wrong_rewrite():
    fixed = fuzzcheck.check_static(RNN.source, unsafe=True).fixed
    assert "jax.lax.scan" in fixed and fuzzcheck.check_runs(RNN, fixed).ok
    wrong = fixed.replace("h * 0.5", "h * 0.25")
    assert fuzzcheck.check_runs(RNN, wrong).failure == fuzzcheck.EQUIVALENCE


def test_check_runs_compares_partial_fixes_eagerly():
    """A loop left alone still raises under jit, as before; the rest is compared eagerly."""
    source = RNN.source.replace("        h = h * 0.5 + x\n", "        h = h * 0.5 + x\n"
                                "        if x[0] > 100.0:\n            break\n")
    program = loopgen.Program(source, "f", 3, ())
    assert fuzzcheck.check_runs(program, source).detail == "eager"
    wrong = source.replace("h * 0.5", "h * 0.25")
    assert fuzzcheck.check_runs(program, wrong).failure == fuzzcheck.EQUIVALENCE


def test_check_static_reports_rejected_input_without_failing():
    outcome = fuzzcheck.check_static("import jax\ndef f(:\n", unsafe=True)
    assert outcome.ok and "syntax error" in outcome.rejected


def test_python_float_carry_no_step_updated_is_not_a_failure():
    """Campaign seed 1058: every step hits `continue`, so the eager original returns the Python
    float 0.0 (weak-typed); the scan returns float32 0.0. Same value, dtype and shape."""
    program = loopgen.from_seed(1058)
    assert "continue" in program.features and "h = 0.0" in program.source
    outcome = fuzzcheck.check_static(program.source, unsafe=True)
    assert outcome.applied
    assert fuzzcheck.check_runs(program, outcome.fixed).detail == fuzzcheck.PYTHON_SCALAR
    wrong = outcome.fixed.replace("h = 0.0", "h = 1.0")
    assert wrong != outcome.fixed
    assert fuzzcheck.check_runs(program, wrong).failure == fuzzcheck.EQUIVALENCE
