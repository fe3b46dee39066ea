"""Nothing is lost by a fix: every comment survives the rewrite of its loop, the text outside the
rewritten spans comes back unchanged, and a fix that would touch anything else is refused."""
from __future__ import annotations

import ast
import io
import os
import sys
import tokenize
from pathlib import Path

import pytest

from fixers.apply import fix_source
from jaxloop_lint import SourceError

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from conftest import RNN_PROGRAM  # noqa: E402

GOLDEN = Path(__file__).parent / "golden"


def comments(text: str) -> list[str]:
    return [t.string for t in tokenize.generate_tokens(io.StringIO(text).readline)
            if t.type == tokenize.COMMENT]


# --------------------------------------------------------------------------------------------
# Comments in and around a rewritten loop

DROPPED = ("the fixer drops a comment inside the replaced `jnp.stack(...)` call (the call "
           "becomes the scan's ys name)")


def _golden(name):
    return (GOLDEN / f"{name}.py").read_text()


# name: (program, text to find, replacement with the comment "# KEEP ME", lost today?)
COMMENT_CASES = {
    "above_outs_init": (RNN_PROGRAM, "    outs = []\n", "    # KEEP ME\n    outs = []\n", False),
    "on_outs_init": (RNN_PROGRAM, "    outs = []\n", "    outs = []  # KEEP ME\n", False),
    "before_loop": (RNN_PROGRAM, "    for x in xs:\n", "    # KEEP ME\n    for x in xs:\n", False),
    "on_for_line": (RNN_PROGRAM, "for x in xs:", "for x in xs:  # KEEP ME", False),
    "above_first_statement": (RNN_PROGRAM, "        h = jnp.tanh",
                              "        # KEEP ME\n        h = jnp.tanh", False),
    "on_first_statement": (RNN_PROGRAM, "h = jnp.tanh(w @ h + x)",
                           "h = jnp.tanh(w @ h + x)  # KEEP ME", False),
    "above_append": (RNN_PROGRAM, "        outs.append(h)",
                     "        # KEEP ME\n        outs.append(h)", False),
    "on_append": (RNN_PROGRAM, "outs.append(h)", "outs.append(h)  # KEEP ME", False),
    "end_of_body": (RNN_PROGRAM, "        outs.append(h)\n",
                    "        outs.append(h)\n        # KEEP ME\n", False),
    "on_stack_line": (RNN_PROGRAM, "jnp.stack(outs)\n", "jnp.stack(outs)  # KEEP ME\n", False),
    "inside_stack_call": (RNN_PROGRAM, "jnp.stack(outs)", "jnp.stack(\n        outs,  # KEEP ME\n    )",
                          False),
    "on_break_condition": (_golden("break_early_stop"), "if x < 0:", "if x < 0:  # KEEP ME", False),
    "on_break": (_golden("break_early_stop"), "break\n", "break  # KEEP ME\n", False),
    "on_continue": (_golden("continue_masked"), "continue\n", "continue  # KEEP ME\n", False),
    "above_continue_condition": (_golden("continue_masked"), "        if mask",
                                 "        # KEEP ME\n        if mask", False),
    "fori_end_of_body": (_golden("fori_traced_bound"), "        x = 0.5 * (x + a / x)\n",
                         "        x = 0.5 * (x + a / x)\n        # KEEP ME\n", False),
    "fori_on_statement": (_golden("fori_traced_bound"), "x = 0.5 * (x + a / x)",
                          "x = 0.5 * (x + a / x)  # KEEP ME", False),
    # The function's last ``return`` joins the rewrite's own return: its comments go above it.
    "above_final_return": (_golden("early_return_first_crossing"), "    return level * 0.5\n",
                           "    # KEEP ME\n    return level * 0.5\n", False),
    "on_final_return": (_golden("early_return_first_crossing"), "return level * 0.5\n",
                        "return level * 0.5  # KEEP ME\n", False),
}

# A comment inside each statement a fix rewrites, one case per fix kind. The plans repeat the
# user's expressions from their original nodes, so what the fix writes keeps them; a comment
# that no repeated expression carries goes above the rewritten code. (True: lost before plans
# held original nodes instead of unparsed text.)
REWRITTEN_STATEMENT_CASES = {
    "scan_iterable": (_golden("enumerate_start"), "enumerate(xs[1:], start=1)",
                      "enumerate(\n        xs[1:],  # KEEP ME\n        start=1,\n    )", True),
    "scan_target": (_golden("enumerate_start"), "for i, x in",
                    "for (\n        i,  # KEEP ME\n        x,\n    ) in", True),
    "vmap_iterable": (_golden("attention_over_time"), "for q in queries:",
                      "for q in (\n        queries  # KEEP ME\n    ):", True),
    "fori_bound": (_golden("fori_traced_bound"), "range(n_iters)",
                   "range(\n        n_iters,  # KEEP ME\n    )", True),
    "padded_bound": (_golden("padded_traced_bound"), "range(min(n, xs.shape[0]))",
                     "range(\n        min(n, xs.shape[0])  # KEEP ME\n    )", True),
    "masked_iterable": (_golden("break_early_stop"), "for x in xs:",
                        "for x in (\n        xs  # KEEP ME\n    ):", True),
    "while_test": (_golden("while_single"), "while width < scale:",
                   "while (\n        width < scale  # KEEP ME\n    ):", False),
    "at_set_index": (_golden("inplace_updates"), "grid[0] = xs",
                     "grid[\n        0  # KEEP ME\n    ] = xs", True),
    "at_add_value": (_golden("inplace_updates"), "grid[1, :] += ys",
                     "grid[1, :] += (\n        ys  # KEEP ME\n    )", True),
    "at_read_combine_set": (_golden("inplace_updates"), "counts[1] //= 2",
                            "counts[1] //= (\n        2  # KEEP ME\n    )", True),
    "outer_append_to_ys": (_golden("scan_outer_list_expr"), "estimates.append(x * 10.0)",
                           "estimates.append(\n            x * 10.0  # KEEP ME\n        )", True),
    "variable_hoist": (_golden("nnx_recurrence_hoist"), "jnp.tanh(state @ self.W[...] + x)",
                       "jnp.tanh(\n                state @ self.W[...]  # KEEP ME\n"
                       "                + x\n            )", False),
    "variable_carry_write": (_golden("nnx_step_counter"),
                             "self.state_sum[...] = self.state_sum[...] + h",
                             "self.state_sum[...] = (\n                self.state_sum[...] + h"
                             "  # KEEP ME\n            )", False),
    "variable_carry_set_value": (_golden("nnx_return_loop_set_value"),
                                 "set_value(jnp.maximum(self.peak.get_value(), h.max()))",
                                 "set_value(\n                jnp.maximum(self.peak.get_value(),"
                                 " h.max())  # KEEP ME\n            )", True),
    "variable_carry_returned_call": (_golden("nnx_return_loop_set_value"),
                                     "jax.lax.fori_loop(0, T, body, h)",
                                     "jax.lax.fori_loop(\n            0, T, body, h  # KEEP ME\n"
                                     "        )", True),
}


@pytest.mark.parametrize("name", [
    pytest.param(name, marks=[pytest.mark.xfail(strict=True, reason=DROPPED)] if lost else [],
                 id=name)
    for name, (_, _, _, lost) in COMMENT_CASES.items()])
def test_comment_in_rewritten_loop_is_kept(name):
    program, find, replace, _ = COMMENT_CASES[name]
    source = program.replace(find, replace, 1)
    assert source != program
    result = fix_source(source, "c.py", unsafe=True)
    assert result.applied, "no fix applied: the case no longer tests a rewrite"
    assert "# KEEP ME" in result.fixed, result.fixed


@pytest.mark.parametrize("name", list(REWRITTEN_STATEMENT_CASES))
def test_comment_inside_a_rewritten_statement_is_kept(name):
    program, find, replace, _ = REWRITTEN_STATEMENT_CASES[name]
    head, sep, tail = program.rpartition(find)  # the code's, after any docstring's mention
    assert sep
    source = head + replace + tail
    result = fix_source(source, "c.py", unsafe=True)
    assert result.applied, "no fix applied: the case no longer tests a rewrite"
    assert replace not in result.fixed, "the statement holding the comment was not rewritten"
    assert comments(result.fixed).count("# KEEP ME") == 1, result.fixed


def _golden_pairs():
    return sorted(p.name[:-3] for p in GOLDEN.glob("*.py")
                  if not p.name.endswith(".fixed.py") and not p.name.startswith("refuse_"))


def test_golden_fixes_keep_every_comment_and_everything_outside_the_loop_function():
    """For every golden case: each comment survives, and every top-level statement that does
    not contain a rewritten loop comes back byte for byte."""
    for name in _golden_pairs():
        source = (GOLDEN / f"{name}.py").read_text()
        result = fix_source(source, f"{name}.py", unsafe=True)
        assert result.applied, name
        lost = [c for c in comments(source) if c not in comments(result.fixed)]
        assert not lost, f"{name}: comments lost: {lost}"
        loops = {d.line for d in result.applied}
        for node in ast.parse(source).body:
            if any(node.lineno <= line <= node.end_lineno for line in loops):
                continue
            segment = ast.get_source_segment(source, node, padded=True)
            assert segment in result.fixed, f"{name}: statement at line {node.lineno} changed"


# --------------------------------------------------------------------------------------------
# A fix that changes text outside the rewritten spans is refused


PROGRAM_WITH_TAIL = RNN_PROGRAM + "\n\nTAIL = 1  # unrelated\n"


def test_edit_outside_the_rewritten_span_is_refused(monkeypatch):
    from fixers import render

    real = render.render_fixes

    def render_and_stray(source, diagnostics):
        new, applied = real(source, diagnostics)
        return new.replace("TAIL = 1", "TAIL = 2"), applied   # a stray edit, still valid code

    monkeypatch.setattr(render, "render_fixes", render_and_stray)
    try:
        result = fix_source(PROGRAM_WITH_TAIL, "tail.py")
    except SourceError as exc:
        assert "internal error" in str(exc)
        return
    assert "TAIL = 1  # unrelated" in result.fixed


def test_stray_edit_check_sees_the_real_renderer():
    """The monkeypatch above hooks the renderer fix_source really uses: without the stray edit
    the fix goes through and the tail is intact."""
    result = fix_source(PROGRAM_WITH_TAIL, "tail.py")
    assert result.applied and "jax.lax.scan" in result.fixed
    assert result.fixed.endswith("\n\nTAIL = 1  # unrelated\n")


# --------------------------------------------------------------------------------------------
# Line endings the fixer must carry through

def test_cr_only_file_keeps_its_final_line_ending():
    source = RNN_PROGRAM.replace("\n", "\r")
    result = fix_source(source, "cr.py")
    assert result.applied and result.fixed.endswith("\r")
    assert "\n" not in result.fixed
    # The same rewrite as the \n file's, line ending for line ending.
    assert result.fixed == fix_source(RNN_PROGRAM, "lf.py").fixed.replace("\n", "\r")


# --------------------------------------------------------------------------------------------
# The user's expressions keep their meaning where the rewrite puts them

REVERSED_SUM = '''\
import jax
import jax.numpy as jnp


@jax.jit
def f(h, a, b):
    for x in reversed(a + b):
        h = h * 0.5 + x
    return h
'''


def test_reversed_expression_keeps_its_grouping():
    """``reversed(a + b)`` scans ``(a + b)[::-1]``: written from the text ``a + b`` (as the
    unparsed plan was), ``a + b[::-1]`` reverses ``b`` alone."""
    import jax.numpy as jnp

    result = fix_source(REVERSED_SUM, "r.py", unsafe=True)
    assert result.applied and "(a + b)[::-1]" in result.fixed, result.fixed
    args = (jnp.float32(0.0), jnp.arange(4.0), jnp.arange(4.0) * 10)
    scope_before, scope_after = {}, {}
    exec(compile(REVERSED_SUM, "before.py", "exec"), scope_before)
    exec(compile(result.fixed, "after.py", "exec"), scope_after)
    assert float(scope_after["f"](*args)) == float(scope_before["f"](*args))
