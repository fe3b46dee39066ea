"""What the analysis knows about the JAX / flax / equinox API, by qualified name."""
from __future__ import annotations

import enum


class ParamMode(enum.Enum):
    """How a transform treats a function's parameters."""

    # jit-like: every argument not declared static becomes a tracer, Python ints included.
    ALL_TRACED = "all"
    # Arrays become tracers, other arguments may pass through as Python values (vmap with
    # in_axes=None, grad's non-differentiated args, eqx.filter_jit, a Module's __call__).
    MAYBE = "maybe"


# Decorators / wrappers that trace the function they are applied to.
TRANSFORMS: dict[str, ParamMode] = {
    **{name: ParamMode.ALL_TRACED for name in (
        "jax.jit", "jax.pjit", "jax.pmap", "flax.nnx.jit", "flax.linen.jit",
    )},
    **{name: ParamMode.MAYBE for name in (
        "jax.vmap", "jax.grad", "jax.value_and_grad", "jax.jacfwd", "jax.jacrev", "jax.hessian",
        "jax.jvp", "jax.vjp", "jax.linearize", "jax.checkpoint", "jax.remat",
        "jax.ad_checkpoint.checkpoint", "jax.shard_map", "jax.custom_jvp", "jax.custom_vjp",
        "flax.nnx.vmap", "flax.nnx.grad", "flax.nnx.value_and_grad",
        "flax.nnx.remat", "flax.nnx.checkpoint", "flax.nnx.shard_map", "flax.nnx.pmap",
        "flax.nnx.custom_vjp", "flax.linen.remat", "flax.linen.checkpoint", "flax.linen.vmap",
        "equinox.filter_jit", "equinox.filter_vmap", "equinox.filter_pmap", "equinox.filter_grad",
        "equinox.filter_value_and_grad", "equinox.filter_checkpoint", "equinox.filter_custom_jvp",
        "equinox.filter_custom_vjp",
    )},
}
# ``jax.named_call`` only names a function; it does not trace, so it is not listed.

# Pallas: the function handed to these is a kernel. Kernels work on mutable Refs
# (``o_ref[...] = v`` is the API) and unroll Python loops over tiles on purpose, so no rule
# reports inside a kernel or anything it defines or calls.
KERNEL_CALLS = {
    "jax.experimental.pallas.pallas_call", "jax.experimental.pallas.kernel",
    "jax.experimental.pallas.core_map", "jax.experimental.pallas.run_scoped",
    "jax.experimental.pallas.tpu.emit_pipeline", "jax.experimental.pallas.tpu.run_scoped",
    "jax.experimental.pallas.tpu.kernel", "jax.experimental.pallas.mosaic_gpu.kernel",
    "jax.experimental.pallas.mosaic_gpu.emit_pipeline", "jax.experimental.pallas.triton.kernel",
}

# Methods that mutate a Python container in place (list, dict, set, deque).
PYTHON_MUTATORS = {"append", "extend", "insert", "update", "setdefault", "add", "pop", "remove",
                   "clear", "popitem", "discard", "sort", "reverse", "appendleft", "extendleft"}

# Keyword arguments of transforms that name static parameters.
STATIC_ARGNUMS = "static_argnums"
STATIC_ARGNAMES = "static_argnames"

# Loop and control-flow primitives whose function arguments are traced, and which positional /
# keyword arguments are those functions. The last field: is it a loop (JXL203/301/302 apply).
LAX_CALLS: dict[str, tuple[tuple[int, ...], tuple[str, ...], bool]] = {
    "jax.lax.scan": ((0,), ("f",), True),
    "jax.lax.fori_loop": ((2,), ("body_fun",), True),
    "jax.lax.while_loop": ((0, 1), ("cond_fun", "body_fun"), True),
    "jax.lax.map": ((0,), ("f",), True),
    "jax.lax.associative_scan": ((0,), ("fn",), False),
    "jax.lax.cond": ((1, 2), ("true_fun", "false_fun"), False),
    "flax.nnx.fori_loop": ((2,), ("body_fun",), True),
    "flax.nnx.while_loop": ((0, 1), ("cond_fun", "body_fun"), True),
    "flax.nnx.scan": ((0,), ("f",), True),
    "flax.nnx.cond": ((1, 2), ("true_fun", "false_fun"), False),
    "equinox.internal.while_loop": ((0, 1), ("cond_fun", "body_fun"), True),
}

# Loops whose body may not mutate a closed-over Variable (nnx lifted loops allow it only for
# modules passed through the carry).
NNX_LOOPS = {"flax.nnx.fori_loop", "flax.nnx.while_loop", "flax.nnx.scan"}

# The nnx.* spelling users should switch to for each lax loop (JXL302's message).
NNX_EQUIVALENT = {
    "jax.lax.scan": "scan", "jax.lax.fori_loop": "fori_loop", "jax.lax.while_loop": "while_loop",
    "jax.lax.map": "scan", "flax.nnx.fori_loop": "fori_loop", "flax.nnx.while_loop": "while_loop",
    "flax.nnx.scan": "scan", "equinox.internal.while_loop": "while_loop",
}

# Bases whose subclasses' __call__ runs traced (under nnx.jit / Module.apply / filter_jit).
MODULE_BASES = {"flax.nnx.Module", "flax.linen.Module", "equinox.Module", "flax.nnx.Object"}

# nnx Variable types: ``self.x = nnx.Param(...)`` makes ``self.x`` a Variable.
VARIABLE_TYPES = {
    f"flax.nnx.{name}" for name in (
        "Variable", "Param", "BatchStat", "Cache", "Intermediate", "Perturbation", "RngState",
        "RngKey", "RngCount", "OptState", "VariableState", "training.optimizer.OptState",
        "optimizer.OptState",
    )
}

# Submodules that update their own Variables when called (BatchNorm's running statistics in
# training mode, Dropout's and Rngs' key counters): calling one in a lax body raises
# TraceContextError like a direct Variable write.
STATEFUL_MODULES = {f"flax.nnx.{name}": name for name in (
    "BatchNorm", "Dropout", "Rngs", "RngStream")}

# Array-producing namespaces: a call into them yields a traced array inside traced code.
ARRAY_NAMESPACES = ("jax.numpy.", "jax.nn.", "jax.random.", "jax.scipy.", "jax.lax.", "jax.image.",
                    "jax.ops.", "jax.dtypes.")

# Calls into those namespaces that return Python containers or pytrees, not one array.
CONTAINER_RESULTS = {
    f"jax.numpy.{n}" for n in (
        "split", "array_split", "hsplit", "vsplit", "dsplit", "meshgrid", "broadcast_arrays",
        "nonzero", "unravel_index", "gradient", "histogram", "histogram2d", "histogramdd",
        "unique", "linalg.svd", "linalg.eigh", "linalg.eig", "linalg.qr", "linalg.slogdet",
        "linalg.lstsq", "frexp", "modf", "divmod", "atleast_1d", "atleast_2d", "atleast_3d",
        "tril_indices", "triu_indices", "diag_indices", "indices", "where", "unstack",
    )
} | {
    f"jax.lax.{n}" for n in (
        "scan", "fori_loop", "while_loop", "map", "cond", "switch", "associative_scan", "top_k",
        "sort_key_val", "sort", "linalg.eigh", "linalg.svd", "linalg.qr", "reduce",
        "optimization_barrier",
    )
} | {"jax.random.split"}
# jax.random.split returns one array of keys; it is in the set above so that
# ``for k in jax.random.split(key, 3)`` (a small, static fan-out) stays quiet.

# Calls in array namespaces that return static Python values (shapes, dtypes).
STATIC_RESULTS = {f"jax.numpy.{n}" for n in (
    "dtype", "finfo", "iinfo", "result_type", "promote_types", "issubdtype", "can_cast",
    "isdtype", "ndim",
)} | {"jax.lax.axis_size", "jax.lax.psum_scatter_size", "jax.device_count",
      "jax.local_device_count", "jax.process_count", "jax.process_index"}
SHAPE_RESULTS = {"jax.numpy.shape", "jax.numpy.size"}

# Array functions whose first argument may be a Python sequence: being passed to them says
# nothing about whether a name holds an array.
SEQUENCE_TAKERS = {f"jax.numpy.{n}" for n in (
    "stack", "array", "asarray", "concatenate", "vstack", "hstack", "dstack", "column_stack",
    "block", "concat", "row_stack", "append",
)}

# Functions that turn a list of per-step values into one array (JXL201's "stacked afterwards").
STACKERS = {f"jax.numpy.{n}" for n in (
    "stack", "array", "asarray", "concatenate", "vstack", "hstack", "dstack", "column_stack",
    "concat", "row_stack",
)} | {"jax.tree.map", "jax.tree_util.tree_map"}

# Functions that grow an array by one piece (JXL202).
GROWERS = {f"jax.numpy.{n}" for n in (
    "concatenate", "append", "vstack", "hstack", "dstack", "column_stack", "concat", "row_stack",
    "insert",
)}

# Attributes that only arrays have: using one is evidence that a name holds an array.
ARRAY_ATTRS = {
    "shape", "dtype", "at", "T", "mT", "astype", "reshape", "ravel", "flatten", "squeeze",
    "transpose", "swapaxes", "sum", "mean", "max", "min", "argmax", "argmin", "std", "var",
    "prod", "cumsum", "clip", "dot", "real", "imag", "conj", "block_until_ready", "item", "size",
    "all", "any", "round", "sort", "argsort", "nbytes", "itemsize", "ndim",
}
# Attributes of an array whose value is static (known at trace time).
STATIC_ARRAY_ATTRS = {"ndim", "dtype", "itemsize", "nbytes", "sharding", "weak_type"}
SHAPE_ARRAY_ATTRS = {"shape", "size"}
# Attributes / methods of an array that give an array of the same kind.
ARRAY_PRESERVING_ATTRS = {"T", "mT", "real", "imag"}

# Annotation names that say "this parameter is an array" / "this is a Python container".
ARRAY_ANNOTATIONS = {"Array", "ndarray", "ArrayLike", "Float", "Int", "Bool", "Shaped", "Num",
                     "Complex", "Real", "Inexact", "Integer", "UInt", "Key", "PRNGKeyArray",
                     "Float32", "Int32", "Tensor"}
SCALAR_ANNOTATIONS = {"int", "float", "bool", "complex"}
CONTAINER_ANNOTATIONS = {"list", "List", "tuple", "Tuple", "dict", "Dict", "Sequence", "Mapping",
                         "Iterable", "Iterator", "MutableMapping", "MutableSequence", "Any",
                         "PyTree", "Params", "FrozenDict", "str", "Module"}

# Builtins whose result is a static Python value whatever they are given.
STATIC_BUILTINS = {"isinstance", "issubclass", "hasattr", "callable", "type", "id", "repr",
                   "str", "print", "getattr", "setattr", "range", "len", "super", "format",
                   "sorted", "list", "tuple", "dict", "set", "frozenset", "zip", "enumerate",
                   "reversed", "map", "filter", "iter", "next", "vars", "dir", "object",
                   "NotImplementedError", "ValueError", "TypeError", "RuntimeError", "slice"}
# Builtins whose result is as traced as their arguments.
PASSTHROUGH_BUILTINS = {"min", "max", "abs", "sum", "round", "int", "float", "bool", "pow",
                        "divmod", "complex"}

# -- what the planners rely on: effects and purity of calls ------------------------------------
# Calls whose only effect is their result.
PURE_PREFIXES = ("jax.numpy.", "jax.nn.", "jax.lax.", "jax.random.", "jax.scipy.",
                 "jax.debug.", "jax.tree.", "jax.tree_util.", "math.", "operator.",
                 "jax.image.", "flax.linen.activation.", "flax.nnx.relu", "flax.nnx.gelu",
                 "flax.nnx.sigmoid", "flax.nnx.softmax", "flax.nnx.tanh", "flax.nnx.silu")
PURE_BUILTINS = {"abs", "min", "max", "len", "sum", "pow", "round", "divmod", "isinstance",
                 "tuple", "list", "dict", "zip", "enumerate", "range", "reversed", "float",
                 "int", "bool", "complex", "slice", "all", "any", "sorted", "map", "filter"}
# Calls with Python effects: run once at trace time, not once per step.
EFFECT_BUILTINS = {"print", "input", "open", "breakpoint", "exec", "eval", "setattr",
                   "delattr", "globals", "locals", "vars", "next", "iter", "id"}
EFFECT_PREFIXES = ("logging.", "sys.", "os.", "time.", "random.", "numpy.random.",
                   "builtins.", "warnings.", "pathlib.", "shutil.", "subprocess.", "io.")
# Methods that only compute on an array (``.at[i].set`` included): no effect on the world.
ARRAY_METHODS = ARRAY_ATTRS | {"set", "get", "add", "multiply", "divide", "power", "subtract",
                               "apply", "min", "max", "at", "copy", "clip", "conj", "view",
                               "repeat", "take", "tolist"}
# Builtins that need Python values as arguments: a traced one raises.
STATIC_ARGUMENT_BUILTINS = ("range", "int", "float", "bool", "len")

# -- per-step outputs --------------------------------------------------------------------------
# List methods that add to a list.
LIST_ADDERS = ("append", "extend", "insert")
# What a per-step output list may be stacked with after the loop, for it to be a scan's ys.
YS_STACKERS = {"jax.numpy.stack", "jax.numpy.array", "jax.numpy.asarray"}
TREE_MAPS = ("jax.tree.map", "jax.tree_util.tree_map")

# ``x[i] op= v`` as the ``.at[i]`` method that applies ``op``; other operators read, combine, set.
AT_METHODS = {"Add": "add", "Sub": "subtract", "Mult": "multiply", "Div": "divide",
              "Pow": "power"}

# -- nnx Variables -----------------------------------------------------------------------------
# Methods that write a Variable, and attributes that hold its value.
VARIABLE_SETTERS = {"set_value", "set_raw_value", "update", "replace"}
VARIABLE_VALUE_ATTRS = {"value", "raw_value"}
# Attributes of a Variable that read its array (``self.W.shape`` is ``W.shape``).
VARIABLE_ARRAY_ATTRS = {"shape", "dtype", "ndim", "size", "T", "mT", "real", "imag"}
# Calls that take a Variable where they take its array (``jnp.dot(self.W, h)``).
VARIABLE_READING_PREFIXES = ("jax.numpy.", "jax.nn.", "jax.lax.", "jax.scipy.", "flax.nnx.")
