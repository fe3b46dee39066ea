"""Render a LoopPlan: a nested ``def`` named after the enclosing function, with the user's names
for the carry and the step input and the loop body's statements and comments, followed by the
``jax.lax.scan`` / ``fori_loop`` / ``while_loop`` call that replaces the loop."""
from __future__ import annotations

import ast
from dataclasses import dataclass
from typing import Optional, Sequence, Union

import libcst as cst

from jaxloop_lint.analysis.names import stores, target_names
from jaxloop_lint.analysis.plans.types import (FORI, SCAN, VMAP, WHILE, Arange, LoopPlan, Output,
                                               Over, Positions, Xs)

from .blocks import block_layout, statement_lines
from .comments import comments
from .naming import Names
from .positions import Originals, cst_pos


@dataclass
class Rendered:
    statements: list[cst.BaseStatement]
    needs_jax_import: bool


def consumer_text(plan: LoopPlan, out: Output) -> str:
    """What replaces ``jnp.stack(outs, axis=k)``: the scan's ys, moved to axis k."""
    ys = f"{out.name}[::-1]" if out.reverse else out.name
    if out.axis == 0:
        return ys
    return f"{plan.jnp}.moveaxis({ys}, 0, {out.axis})"


# Where a guard's mask goes before the step function names it (``_unmask``).
_MASK, _MASK_AFTER = "__jaxloop_mask__", "__jaxloop_mask_after__"


def guard_text(plan: LoopPlan, guard, operand: cst.BaseExpression) -> str:
    """``jnp.where(<mask>, <safe>, <operand>)``: the operand of a singular operation, harmless
    in the masked steps."""
    mask = _MASK_AFTER if guard.after_stop else _MASK
    return f"{plan.jnp}.where({mask}, {guard.safe}, {_code(operand)})"


def _unmask(statements: list, before: str, after: str = "") -> list:
    """The guards' masks, named now that the step's flags have names."""
    masks = {_MASK: before, _MASK_AFTER: after}

    class Fill(cst.CSTTransformer):
        def leave_Name(self, original, updated):
            if updated.value in masks:
                return cst.parse_expression(masks[updated.value])
            return updated

    return [s.visit(Fill()) for s in statements]


def named_nodes(plan: LoopPlan) -> list[ast.AST]:
    """The original expressions the rendered loop repeats: found in libcst before rendering."""
    out: list[ast.AST] = []
    for x in plan.xs:
        if isinstance(x, Positions):
            out += [x.array.node] + ([x.start] if x.start is not None else [])
        else:
            out += [x.node] if isinstance(x, Over) else list(x.args)
    out += [n for n in (plan.lower, plan.upper, plan.mask_bound) if n is not None]
    if plan.final_return is not None:
        out.append(plan.final_return.value)
    return out


def _xs(plan: LoopPlan, originals: Originals) -> str:
    """The scan's xs: one array, or a tuple of them."""
    parts = [_array(x, plan.jnp, originals) for x in plan.xs]
    return parts[0] if len(parts) == 1 else f"({', '.join(parts)})"


def _array(x: Xs, jnp: str, originals: Originals, postfix: bool = False) -> str:
    """One array's code; ``postfix``: where ``.shape`` follows."""
    if isinstance(x, Over):
        if x.reverse:
            return _postfix(originals.node(x.node)) + "[::-1]"
        return _postfix(originals.node(x.node)) if postfix else originals.code(x.node)
    if isinstance(x, Arange):
        text = f"{jnp}.arange({', '.join(originals.code(a) for a in x.args)})"
        return text + "[::-1]" if x.reverse else text
    array = _array(x.array, jnp, originals, postfix=True)
    if x.start is None:
        return f"{jnp}.arange({array}.shape[0])"
    start = originals.code(x.start)
    return f"{jnp}.arange({start}, {start} + {array}.shape[0])"


_ATOMS = (cst.Name, cst.Attribute, cst.Call, cst.Subscript, cst.BaseNumber, cst.BaseString,
          cst.List, cst.Dict, cst.Set, cst.ListComp, cst.DictComp, cst.SetComp)


def _postfix(node: cst.BaseExpression) -> str:
    """``node``'s code where a postfix (``[::-1]``, ``.shape``) follows: parenthesised unless
    it is an atom (``reversed(a + b)`` is ``(a + b)[::-1]``)."""
    code = cst.Module([]).code_for_node(node)
    if node.lpar or isinstance(node, _ATOMS):
        return code
    return f"({code})"


def render_loop(plan: LoopPlan, original: Union[cst.For, cst.While],
                loop: Union[cst.For, cst.While], body_positions: Sequence[tuple[int, int]],
                lines, names: Names, originals: Originals) -> Rendered:
    """``original``: the loop as parsed (its header's comments are looked up there); ``loop``:
    the loop after the rewrites inside it."""
    result = _render(plan, loop, body_positions, lines, names, originals)
    lost = _header_comments(plan, original, originals)
    if lost:  # comments inside the ``for`` header that no repeated expression carries
        first = result.statements[0]
        result.statements[0] = first.with_changes(leading_lines=list(first.leading_lines) + lost)
    return result


def _header_comments(plan: LoopPlan, loop, originals: Originals) -> list[cst.EmptyLine]:
    if not isinstance(loop, cst.For):
        return []  # a while loop's test is repeated whole
    target = loop.target
    repeated = [originals.node(n) for n in named_nodes(plan)] + (
        [e.value for e in target.elements] if isinstance(target, (cst.Tuple, cst.List))
        else [target])
    kept = {id(c) for n in repeated for c in comments(n)}
    return [cst.EmptyLine(comment=c) for part in (target, loop.iter) for c in comments(part)
            if id(c) not in kept]


def _render(plan: LoopPlan, loop: Union[cst.For, cst.While],
            body_positions: Sequence[tuple[int, int]], lines, names: Names,
            originals: Originals) -> Rendered:
    base = plan.function.name.strip("_") if plan.function.name != "<lambda>" else "loop"
    statements = statement_lines(loop.body)
    # Take the appends out last-first, so each index into the body stays valid.
    items: dict[int, str] = {}
    orphans: list[cst.EmptyLine] = []  # comments of a removed last statement: above the return
    located = [(_index_of(body_positions, cst_pos(lines, out.append)), n)
               for n, out in enumerate(plan.outputs)]
    for where, n in sorted(located, reverse=True):
        statements, items[n], kept = _take_output(statements, where, plan.outputs[n], plan,
                                                  names)
        orphans = kept + orphans
    ys = [items[n] for n in range(len(plan.outputs))]
    if plan.form == SCAN and plan.stop is not None:
        where = _index_of(body_positions, cst_pos(lines, plan.stop))
        return _render_masked(plan, loop, statements, where, base, names, originals)
    if plan.form == SCAN and plan.mask_bound is not None:
        return _render_padded(plan, loop, statements, base, names, originals)
    carry = _Carry(plan.carried, names)
    if plan.form == SCAN:
        step = names.fresh(f"{base}_step")
        x_param, x_unpack = _step_input(plan.step_target, loop.target, names)
        body = carry.unpack() + x_unpack + statements
        ys_expr = "None" if not ys else ys[0] if len(ys) == 1 else f"({', '.join(ys)})"
        body.append(_stmt(f"return {carry.expr}, {ys_expr}").with_changes(
            leading_lines=orphans))
        lhs_ys = "_" if not ys else plan.outputs[0].name if len(ys) == 1 else (
            "(" + ", ".join(o.name for o in plan.outputs) + ")")
        defs = [_def(step, [carry.param, x_param], body, loop)]
        call = f"{carry.target}, {lhs_ys} = {plan.lax}.scan({step}, {carry.expr}, " \
            f"{_xs(plan, originals)})"
    elif plan.form == VMAP:
        step = names.fresh(f"{base}_step")
        x_param, x_unpack = _step_input(plan.step_target, loop.target, names)
        ys_expr = ys[0] if len(ys) == 1 else f"({', '.join(ys)})"
        body = x_unpack + statements + [_stmt(f"return {ys_expr}").with_changes(
            leading_lines=orphans)]
        lhs_ys = ", ".join(o.name for o in plan.outputs)
        defs = [_def(step, [x_param], body, loop)]
        call = f"{lhs_ys} = {plan.vmap}({step})({_xs(plan, originals)})"
    elif plan.form == FORI:
        step = names.fresh(f"{base}_step")
        body = carry.unpack() + statements + [_stmt(f"return {carry.bare}")]
        defs = [_def(step, [plan.index, carry.param], body, loop)]
        lo = originals.code(plan.lower) if plan.lower is not None else "0"
        hi = originals.code(plan.upper)
        call = f"{carry.bare} = {plan.lax}.fori_loop({lo}, {hi}, {step}, {carry.expr})"
    elif plan.form == WHILE:
        cond = names.fresh(f"{base}_cond")
        step = names.fresh(f"{base}_body")
        test = cst.Module([]).code_for_node(loop.test)
        cond_body = carry.unpack() + [_stmt(f"return {test}")]
        body = carry.unpack() + statements + [_stmt(f"return {carry.bare}")]
        defs = [_def(cond, [carry.param], cond_body, None).with_changes(
                    body=cst.IndentedBlock(body=cond_body,
                                           indent=block_layout(loop.body).get("indent"))),
                _def(step, [carry.param], body, loop).with_changes(
                    leading_lines=[cst.EmptyLine(indent=False)])]
        call = f"{carry.bare} = {plan.lax}.while_loop({cond}, {step}, {carry.expr})"
    else:  # pragma: no cover - the planner only makes the three forms
        raise ValueError(plan.form)
    defs[0] = defs[0].with_changes(leading_lines=_leading(loop))
    return Rendered(defs + [_stmt(call)], plan.needs_jax_import)


def _render_masked(plan: LoopPlan, loop, statements, where: int, base: str,
                   names: Names, originals: Originals) -> Rendered:
    """``if cond: break`` as a masked scan (R9): every step runs; a ``done`` flag in the carry
    keeps the values each name had when the loop would have stopped."""
    if isinstance(plan.stop.body[0], ast.Continue):
        return _render_skip(plan, loop, statements, where, base, names, originals)
    if plan.final_return is not None and not isinstance(statements[where].body,
                                                        cst.IndentedBlock):
        statements[where] = statements[where].with_changes(  # ``if c: return v`` on one line
            body=cst.IndentedBlock(body=[cst.SimpleStatementLine(list(
                statements[where].body.body))]))
    step = names.fresh(f"{base}_step")
    done, stop = names.fresh("done"), names.fresh("stop")
    carried = plan.carried
    prev = [names.fresh(f"{c}_prev") for c in carried]
    before, check, after = statements[:where], statements[where], statements[where + 1:]
    at_stop = [names.fresh(f"{c}_at_stop") for c in carried] if before else prev
    joined = ", ".join(carried)
    state = carried[0] if len(carried) == 1 else f"({joined})"
    param = names.fresh("carry")
    x_param, x_unpack = _step_input(plan.step_target, loop.target, names)
    if plan.guards:
        before = _unmask(before, done)
        after = _unmask(after, done, f"{done} | {stop}")
    body = [_stmt(f"{state}, {done} = {param}"),
            _stmt(f"{', '.join(prev)} = {joined}")] + x_unpack + before
    body.append(_flag_line(stop, check))
    if before:
        body.append(_stmt(f"{', '.join(at_stop)} = {joined}"))
    body += after
    jnp = plan.jnp
    for c, p, s in zip(carried, prev, at_stop):
        if before:
            body.append(_stmt(f"{c} = {jnp}.where({done}, {p}, {jnp}.where({stop}, {s}, {c}))"))
        else:
            body.append(_stmt(f"{c} = {jnp}.where({done} | {stop}, {p}, {c})"))
    body.append(_stmt(f"return ({state}, {done} | {stop}), None"))
    xs = _xs(plan, originals)
    defs = [_def(step, [param, x_param], body, loop)]
    defs[0] = defs[0].with_changes(leading_lines=_leading(loop))
    orelse = plan.loop.node.orelse
    if plan.final_return is None and not orelse:
        call = f"({state}, _), _ = {plan.lax}.scan({step}, ({state}, False), {xs})"
        return Rendered(defs + [_stmt(call)], plan.needs_jax_import)
    if orelse:  # ``else:`` runs when no break fired: each assignment keeps its old value if one did
        call = f"({state}, {done}), _ = {plan.lax}.scan({step}, ({state}, False), {xs})"
        after_loop = [_stmt(call)]
        for stmt, node in zip(statement_lines(loop.orelse.body), orelse):
            small = stmt.body[0]
            value = _code(small.value)
            if isinstance(small, cst.AugAssign):  # ``x += v``: ``x + (v)``
                op = _code(small.operator).strip()[:-1]
                value = f"{node.target.id} {op} ({value})"
            name = node.targets[0].id if isinstance(node, ast.Assign) else node.target.id
            line = _stmt(f"{name} = {jnp}.where({done}, {name}, {value})")
            after_loop.append(line.with_changes(leading_lines=stmt.leading_lines,
                                                trailing_whitespace=stmt.trailing_whitespace))
        return Rendered(defs + after_loop, plan.needs_jax_import)
    # ``if cond: return v`` ... ``return w``: the carried names are frozen at the step that
    # returned, so ``v`` evaluated after the loop is the value the step returned.
    call = f"({state}, {done}), _ = {plan.lax}.scan({step}, ({state}, False), {xs})"
    early = cst.Module([]).code_for_node(check.body.body[0].body[0].value)
    late = originals.code(plan.final_return.value)
    ret = _stmt(f"return {jnp}.where({done}, {early}, {late})")
    return Rendered(defs + [_stmt(call), ret], plan.needs_jax_import)


def _render_skip(plan: LoopPlan, loop, statements, where: int, base: str,
                 names: Names, originals: Originals) -> Rendered:
    """``if cond: continue`` as a masked step: when cond holds, every carried name keeps the
    value it had at the ``continue``."""
    step = names.fresh(f"{base}_step")
    skip = names.fresh("skip")
    carried = plan.carried
    before, check, after = statements[:where], statements[where], statements[where + 1:]
    kept = [names.fresh(f"{c}_kept") for c in carried]
    carry = _Carry(carried, names)
    x_param, x_unpack = _step_input(plan.step_target, loop.target, names)
    if plan.guards:
        after = _unmask(after, "", skip)
    body = carry.unpack() + x_unpack + before
    body += [_flag_line(skip, check), _stmt(f"{', '.join(kept)} = {', '.join(carried)}")] + after
    for c, k in zip(carried, kept):
        body.append(_stmt(f"{c} = {plan.jnp}.where({skip}, {k}, {c})"))
    body.append(_stmt(f"return {carry.expr}, None"))
    defs = [_def(step, [carry.param, x_param], body, loop)]
    defs[0] = defs[0].with_changes(leading_lines=_leading(loop))
    call = f"{carry.target}, _ = {plan.lax}.scan({step}, {carry.expr}, {_xs(plan, originals)})"
    return Rendered(defs + [_stmt(call)], plan.needs_jax_import)


def _flag_line(name: str, check: cst.If) -> cst.SimpleStatementLine:
    """``if cond: break`` -> ``name = cond``, keeping the comments around the ``if``."""
    test = cst.Module([]).code_for_node(check.test)
    jump = check.body.body[0] if isinstance(check.body, cst.IndentedBlock) else None
    inner = _comment_lines(jump) if jump is not None else []  # ``break  # why``
    line = _stmt(f"{name} = {test}").with_changes(
        leading_lines=list(check.leading_lines) + inner)
    comment = getattr(check.body, "header", None) or getattr(check.body, "trailing_whitespace",
                                                             None)
    return line.with_changes(trailing_whitespace=comment) if comment is not None else line


def _render_padded(plan: LoopPlan, loop, statements, base: str, names: Names,
                   originals: Originals) -> Rendered:
    """``for i in range(min(n, K))``: scan over ``arange(K)``; steps with ``i >= n`` keep
    every carried name as it was (pad and mask)."""
    step = names.fresh(f"{base}_step")
    carried = plan.carried
    kept = [names.fresh(f"{c}_kept") for c in carried]
    carry = _Carry(carried, names)
    bound = originals.code(plan.mask_bound)
    before: list[cst.BaseStatement] = []
    if plan.mask_bound_snapshot:  # range() read the bound once; the body rebinds it
        snapshot = names.fresh("bound")
        before = [_stmt(f"{snapshot} = {bound}")]
        bound = snapshot
    if plan.guards:
        limit = bound if bound.isidentifier() else f"({bound})"
        statements = _unmask(statements, f"{plan.index} >= {limit}")
    body = carry.unpack() + [_stmt(f"{', '.join(kept)} = {', '.join(carried)}")] + statements
    for c, k in zip(carried, kept):
        body.append(_stmt(f"{c} = {plan.jnp}.where({plan.index} < {bound}, {c}, {k})"))
    body.append(_stmt(f"return {carry.expr}, None"))
    defs = [_def(step, [carry.param, plan.index], body, loop)]
    head = before + defs
    head[0] = head[0].with_changes(leading_lines=_leading(loop))
    call = f"{carry.target}, _ = {plan.lax}.scan({step}, {carry.expr}, {_xs(plan, originals)})"
    return Rendered(head + [_stmt(call)], plan.needs_jax_import)


class _Carry:
    """How the carried names travel: one name as itself, several as a tuple ``carry``."""

    def __init__(self, carried: list[str], names: Names) -> None:
        self.names = carried
        if len(carried) == 1:
            self.param = self.expr = self.target = self.bare = carried[0]
        else:
            self.param = names.fresh("carry")
            joined = ", ".join(carried)
            self.expr = f"({joined})" if carried else "None"
            self.target = f"({joined})" if carried else "_"  # inside ``carry, ys = ...``
            self.bare = joined or "_"                      # alone on a line

    def unpack(self) -> list[cst.BaseStatement]:
        if len(self.names) > 1:
            return [_stmt(f"{', '.join(self.names)} = {self.param}")]
        return []


def _step_input(target: ast.expr, written: cst.BaseExpression,
                names: Names) -> tuple[str, list[cst.BaseStatement]]:
    """The step's input parameter: the loop's target name, or a fresh name unpacked into the
    target's parts (``written``, the target as libcst has it) at the top of the step."""
    if isinstance(target, ast.Name):
        return target.id, []
    parts = [e.value for e in written.elements] if isinstance(written, (cst.Tuple, cst.List)) \
        else [written]
    param = names.fresh("_".join(target_names(target)) or "step_input")
    return param, [_stmt(f"{', '.join(_code(p) for p in parts)} = {param}")]


def _code(node: cst.CSTNode) -> str:
    return cst.Module([]).code_for_node(node)


def _take_output(statements, where: int, out: Output, plan: LoopPlan, names: Names):
    """Replace ``outs.append(v)`` by nothing (v is a name the rest of the step leaves alone)
    or by ``outs_t = v``; return the statements and the expression the step returns."""
    stmt = statements[where]
    later = plan.loop.node.body[plan.loop.node.body.index(out.append) + 1:]
    value = out.value
    commented = any(line.comment for line in stmt.leading_lines) \
        or stmt.trailing_whitespace.comment is not None
    if isinstance(value, ast.Name) and value.id not in stores(later):
        rest = statements[:where] + statements[where + 1:]
        kept = _comment_lines(stmt)
        if where < len(rest):  # the comments move to the next statement
            nxt = rest[where]
            rest[where] = nxt.with_changes(leading_lines=kept + list(nxt.leading_lines))
            kept = []
        return rest, value.id, kept
    call = stmt.body[0].value
    if where == len(statements) - 1 and not stmt.leading_lines and not commented:
        # The last statement of the step: return the appended expression itself.
        return statements[:where], cst.Module([]).code_for_node(call.args[0].value), []
    tmp = names.fresh(f"{out.name}_t")
    assign = stmt.with_changes(body=[cst.Assign(targets=[cst.AssignTarget(cst.Name(tmp))],
                                                value=call.args[0].value)])
    return statements[:where] + [assign] + statements[where + 1:], tmp, []


def _comment_lines(stmt) -> list[cst.EmptyLine]:
    """A removed statement's comments, as lines to put above the statement that follows."""
    lines = [line for line in stmt.leading_lines if line.comment is not None]
    if stmt.trailing_whitespace.comment is not None:
        lines.append(cst.EmptyLine(comment=stmt.trailing_whitespace.comment))
    return lines


def _def(name: str, params: list[str], body: list[cst.BaseStatement],
         loop: Optional[Union[cst.For, cst.While]]) -> cst.FunctionDef:
    node = cst.parse_statement(f"def {name}({', '.join(params)}):\n    pass\n")
    block = cst.IndentedBlock(body=body)
    if loop is not None:  # the loop body's own indentation, header comment and trailing lines
        block = block.with_changes(**block_layout(loop.body))
    return node.with_changes(body=block)


def _leading(loop) -> list[cst.EmptyLine]:
    lines = list(loop.leading_lines)
    if not lines or lines[0].comment is not None:
        lines.insert(0, cst.EmptyLine(indent=False))  # a blank line before the def (E306)
    return lines


def _stmt(code: str) -> cst.BaseStatement:
    return cst.parse_statement(code + "\n")


def _index_of(positions, pos) -> int:
    for i, p in enumerate(positions):
        if p == pos:
            return i
    raise LookupError(f"no statement at {pos}")
