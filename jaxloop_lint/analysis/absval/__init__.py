"""Abstract values: what each name holds, as far as every execution agrees.

The planner's entry points::

    values = FunctionValues(fn_node, imports, param_values(fn_node, static=...))
    types = loop_carry_types(values, loop_node, ["h", "acc"])
    same_type(types["h"].start, types["h"].after_one_step)   # True / False / None (unknown)
    describe(types["h"].start)                                # "a float32 array of shape (3,)"

See docs/design/abstract-values.md for what is modelled and what is unknown by design.
"""
from .dtypes import TypeTerm
from .exprs import Evaluator
from .params import param_values
from .query import (CarryTypes, carry_types, fori_index, loop_carry_types, module_lookup,
                    scan_index)
from .shapes import Lin, ShapeSym
from .value import (UNKNOWN, AbsVal, Kind, describe, fits_int32, join, same_type)
from .walker import FunctionValues, LoopRecord

__all__ = ["AbsVal", "Kind", "UNKNOWN", "TypeTerm", "Lin", "ShapeSym", "Evaluator",
           "FunctionValues", "LoopRecord", "CarryTypes", "carry_types", "loop_carry_types",
           "module_lookup", "param_values", "scan_index", "fori_index", "same_type", "describe",
           "join", "fits_int32"]
