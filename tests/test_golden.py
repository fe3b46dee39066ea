"""Golden pairs: the fixer's exact output for realistic modules, proved equivalent to the original.

``tests/golden/<case>.py`` is a small module with traced loops; ``<case>.fixed.py`` is what
``fix_source`` must turn it into, byte for byte. Each module ends with

    CASE = dict(entry="fn" | "Class.method", args=lambda T: (...), grad="auto" | None,
                unsafe=False | True, primitive="scan" | "while" | None, differentiable=True | False,
                trip_counts=(4, 16))

optionally with ``original="lax"`` (the original already uses a lax loop: its jaxpr must not
grow) or ``original="raises:TraceContextError"`` (it cannot run under jit: the reference is the
eager run under ``disable_jit``), and ``reference="numpy"`` (the original writes into arrays in
place, which raises on JAX arrays: the reference runs it with numpy as ``jnp``).

(``primitive=None``: the rewrite has no loop primitive, e.g. ``jax.vmap``.) For every pair:

(a) test_fix_output: ``fix_source(before)`` == ``<case>.fixed.py``.
(b) test_idempotent: fixing ``<case>.fixed.py`` again changes nothing.
(c) test_equivalent: before.<entry> and after.<entry> pass ``check_equivalent`` (values, grads or
    forward-mode tangents, nnx state), the rewrite's jaxpr has the loop primitive and the same
    number of equations at every trip count, and the rest of the module is untouched (after's own
    ``CASE["args"]`` builds the same arguments).
(d) test_original_unrolls: the original's jaxpr grows with T; for a loop on a traced bound or
    condition (``primitive="while"``, or ``raises=True`` in CASE), tracing it raises
    TracerBoolConversionError / TracerIntegerConversionError instead.

test_refusal: ``tests/golden/refuse_<case>.py`` comes back byte-identical even with
``unsafe=True``, with a diagnostic containing "no automatic fix: <CASE.get("reason", "")>".

A case the fixer gets wrong keeps its files and gets ``XFAIL="<diagnosis>"`` in its CASE. For a
pair, ``.fixed.py`` is then the hand-written *expected* output, (a) is a strict xfail, and
test_fixer_output_equivalent (also a strict xfail) runs the fixer's actual output through the
harness, so it XPASSes, and fails the suite, as soon as the fixer is repaired. For a refusal,
test_refusal is the strict xfail.

Regenerate the expected files with ``JAXLOOP_UPDATE_GOLDEN=1 pytest tests/test_golden.py`` (cases
with an XFAIL are never overwritten), then read every changed ``.fixed.py`` before committing it.
"""
from __future__ import annotations

import importlib.util
import os
import re
import sys
from pathlib import Path

import pytest

jax = pytest.importorskip("jax")
pytest.importorskip("flax")

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import equivalence as eq  # noqa: E402
from casefile import static_case as _static_case  # noqa: E402
from fixers.apply import fix_source  # noqa: E402

GOLDEN = Path(__file__).parent / "golden"
UPDATE = os.environ.get("JAXLOOP_UPDATE_GOLDEN") == "1"


def _cases(refusals: bool) -> list[str]:
    return sorted(p.name[:-3] for p in GOLDEN.glob("*.py")
                  if not p.name.endswith(".fixed.py") and p.name.startswith("refuse_") == refusals)


PAIRS = _cases(refusals=False)
REFUSALS = _cases(refusals=True)


def _params(names, *, only_xfail=False):
    out = []
    for name in names:
        case = _static_case(GOLDEN / f"{name}.py")
        if only_xfail and "XFAIL" not in case:
            continue
        marks = [pytest.mark.xfail(strict=True, reason=case["XFAIL"])] if "XFAIL" in case else []
        out.append(pytest.param(name, marks=marks, id=name))
    return out


def _plain(names):
    return [pytest.param(n, id=n) for n in names]


_loaded: dict[tuple, object] = {}


def _load(path: Path, tag: str):
    """Import a golden file under a unique module name (once per path and contents)."""
    text = path.read_text()
    key = (str(path), tag, hash(text))
    if key not in _loaded:
        name = f"golden_{tag}_{path.name.replace('.', '_')}_{len(_loaded)}"
        spec = importlib.util.spec_from_file_location(name, path)
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
        _loaded[key] = module
    return _loaded[key]


def _entry(module, dotted: str):
    obj = module
    for part in dotted.split("."):
        obj = getattr(obj, part)
    return obj


def _fix(name: str, text: str):
    case = _static_case(GOLDEN / f"{name}.py")
    return fix_source(text, f"{name}.py", unsafe=case.get("unsafe", False))


def _numpy_reference(module, fn):
    """The original with numpy in place of jax.numpy (``reference="numpy"``): for code such as
    ``x[i] = v`` that raises on JAX arrays, numpy's in-place semantics are what the author meant."""
    import numpy as np

    def run(*args):
        saved = module.jnp
        module.jnp = np
        try:
            out = fn(*jax.tree.map(lambda a: np.array(a), args))
        finally:
            module.jnp = saved
        return jax.tree.map(jax.numpy.asarray, out)
    return run


def _check(before, after, case) -> eq.Report:
    primitive = case["primitive"]
    original = _entry(before, case["entry"])
    if case.get("reference") == "numpy":
        original = _numpy_reference(before, getattr(original, "__wrapped__", original))
    return eq.check_equivalent(
        original, _entry(after, case["entry"]), case["args"],
        # numpy has no weak types: a numpy reference cannot say what jax's would have been
        check_weak_type=case.get("reference") != "numpy",
        trip_counts=case.get("trip_counts", (4, 16)), grad=case.get("grad"),
        differentiable=case.get("differentiable", True),
        expect_primitive=None if primitive is None else (primitive,))


_NOTE = re.compile(r"T=(\d+): rewrite jaxpr has (\d+) eqns, loop primitives (.*)$")


def _assert_report(rep: eq.Report, case) -> None:
    assert rep.ok, f"\n{rep}"
    sizes, loops = {}, {}
    for note in rep.notes:
        m = _NOTE.match(note)
        if m:
            sizes[int(m[1])] = int(m[2])
            loops[int(m[1])] = m[3]
    trip_counts = case.get("trip_counts", (4, 16))
    assert sorted(sizes) == sorted(trip_counts), f"no jaxpr note for every trip count:\n{rep}"
    assert len(set(sizes.values())) == 1, f"jaxpr size depends on T: {sizes}\n{rep}"
    for T, found in loops.items():
        if case["primitive"] is None:
            assert found == "none", f"T={T}: expected no loop primitive, found {found}"
        else:
            assert repr(case["primitive"]) in found, f"T={T}: {case['primitive']} not in {found}"


# --------------------------------------------------------------------------------------------------
# pairs
# --------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("name", _params(PAIRS))
def test_fix_output(name):
    before = (GOLDEN / f"{name}.py").read_text()
    expected_path = GOLDEN / f"{name}.fixed.py"
    case = _static_case(GOLDEN / f"{name}.py")
    result = _fix(name, before)
    if UPDATE and "XFAIL" not in case and result.applied:
        expected_path.write_text(result.fixed)
    assert result.applied, f"{name}: no fix applied; remaining: {result.remaining}"
    assert expected_path.exists(), f"missing {expected_path.name}: run with JAXLOOP_UPDATE_GOLDEN=1"
    assert result.fixed == expected_path.read_text()


@pytest.mark.parametrize("name", _plain(PAIRS))
def test_idempotent(name):
    fixed = (GOLDEN / f"{name}.fixed.py").read_text()
    again = _fix(name, fixed)
    assert again.fixed == fixed
    assert not again.applied


@pytest.mark.parametrize("name", _plain(PAIRS))
def test_equivalent(name):
    before = _load(GOLDEN / f"{name}.py", "before")
    after = _load(GOLDEN / f"{name}.fixed.py", "after")
    # the rewrite must leave the rest of the module alone: its own CASE builds the same arguments
    T = min(before.CASE.get("trip_counts", (4, 16)))
    assert not eq.compare_trees(_arg_values(before.CASE["args"](T)),
                                _arg_values(after.CASE["args"](T)), root="args")
    _assert_report(_check(before, after, before.CASE), before.CASE)


@pytest.mark.parametrize("name", _params(PAIRS, only_xfail=True))
def test_fixer_output_equivalent(name, tmp_path):
    """Only for XFAIL cases: the fixer's actual output (not the hand-written .fixed.py)."""
    before_path = GOLDEN / f"{name}.py"
    actual = _fix(name, before_path.read_text()).fixed
    actual_path = tmp_path / f"{name}.actual.py"
    actual_path.write_text(actual)
    before = _load(before_path, "before")
    _assert_report(_check(before, _load(actual_path, "actual"), before.CASE), before.CASE)


def _arg_values(args):
    """The array leaves of the arguments (nnx Modules: their Variable values)."""
    if eq._has_nnx(args):
        from flax import nnx
        return jax.tree.leaves(nnx.split(args)[1])
    return jax.tree.leaves(args)


def _jaxpr_size(fn, args) -> int:
    use_nnx = eq._has_nnx(args)
    fun = eq._Functional(eq._copy_args(args, use_nnx), use_nnx, eq._auto_static(args))
    values = [fun.leaves[i] for i in fun.dyn]
    return eq.jaxpr_stats(lambda *v: fun.call(fn, v, fun.dyn), *values)[0]


@pytest.mark.parametrize("name", _plain(PAIRS))
def test_original_unrolls(name):
    before = _load(GOLDEN / f"{name}.py", "before")
    case = before.CASE
    fn = _entry(before, case["entry"])
    small, large = sorted(case.get("trip_counts", (4, 16)))[:2]
    original = case.get("original", "unrolls")
    if original.startswith("raises:"):
        # already a lax loop, or an in-place write: the original cannot run under jit at all
        with pytest.raises(Exception) as info:
            _jaxpr_size(fn, case["args"](small))
        assert type(info.value).__name__ == original.split(":", 1)[1], info.value
        return
    if original == "lax":  # already a lax loop (a Variable read hoisted out of its body)
        assert _jaxpr_size(fn, case["args"](small)) == _jaxpr_size(fn, case["args"](large))
        return
    if case.get("raises", case["primitive"] == "while"):
        # a traced bound or condition (range(n), while, break): the original cannot be traced
        with pytest.raises((jax.errors.ConcretizationTypeError,
                            jax.errors.TracerIntegerConversionError)):
            _jaxpr_size(fn, case["args"](small))
        return
    n_small, n_large = _jaxpr_size(fn, case["args"](small)), _jaxpr_size(fn, case["args"](large))
    assert n_small < n_large, (f"original jaxpr does not grow with T: {n_small} eqns at "
                               f"T={small}, {n_large} at T={large}")


# --------------------------------------------------------------------------------------------------
# refusals
# --------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("name", _params(REFUSALS))
def test_refusal(name):
    path = GOLDEN / f"{name}.py"
    source = path.read_text()
    case = _static_case(path)
    result = fix_source(source, path.name, unsafe=True)
    assert not result.applied, [d.message for d in result.applied]
    assert result.fixed == source
    messages = [d.message for d in result.remaining]
    expected = f"no automatic fix: {case.get('reason', '')}"
    assert any(expected in m for m in messages), f"no diagnostic says {expected!r}: {messages}"


def test_enough_cases():
    assert len(PAIRS) >= 30 and len(REFUSALS) >= 8, (len(PAIRS), len(REFUSALS))


def test_golden_files_are_paired():
    fixed = {p.name[:-len(".fixed.py")] for p in GOLDEN.glob("*.fixed.py")}
    assert fixed == set(PAIRS), (fixed ^ set(PAIRS))


# --------------------------------------------------------------------------------------------------
# determinism
# --------------------------------------------------------------------------------------------------

def test_fixer_is_deterministic():
    """The same input always gives the golden output. A regression test: the renderer once keyed
    the `outs = []` lines to delete by id(node), and recycled ids deleted unrelated statements in
    about 5% of runs, so one run proves little."""
    with_outputs = [n for n in PAIRS if "XFAIL" not in _static_case(GOLDEN / f"{n}.py")
                    and ".append(" in (GOLDEN / f"{n}.py").read_text()][:8]
    for _ in range(10):
        for name in with_outputs:
            assert _fix(name, (GOLDEN / f"{name}.py").read_text()).fixed == \
                (GOLDEN / f"{name}.fixed.py").read_text(), name


@pytest.mark.parametrize("name", _plain(PAIRS))
def test_no_deprecated_variable_api(name):
    """flax 0.12 deprecates ``Variable.value``: generated code writes ``v[...]`` / ``get_value``
    / ``set_value``, unless the file itself is on the old API (flax-api "auto" -> legacy)."""
    before = (GOLDEN / f"{name}.py").read_text()
    fixed = (GOLDEN / f"{name}.fixed.py").read_text()
    legacy = ".value" in before and "[...]" not in before
    added = set(fixed.splitlines()) - set(before.splitlines())
    deprecated = [line for line in added if re.search(r"\.(value|raw_value)\b", line)]
    assert legacy or not deprecated, deprecated


def test_generated_code_emits_no_deprecation_warning():
    """The fixed nnx modules run under nnx.jit with DeprecationWarning as an error."""
    import warnings
    from flax import nnx
    for name in ("nnx_step_counter", "nnx_recurrence_hoist", "nnx_return_loop_set_value"):
        after = _load(GOLDEN / f"{name}.fixed.py", "after")
        args = after.CASE["args"](4)
        with warnings.catch_warnings():
            warnings.simplefilter("error", DeprecationWarning)
            nnx.jit(_entry(after, after.CASE["entry"]), static_argnums=2)(*args)
