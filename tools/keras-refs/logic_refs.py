"""Keras 3 references for rnn4j's boolean operation nodes (org.rnn4j.ops.Logic), issue #14.

Run with the offline peers venv:  PY=$(/work/shared/bench/setup-peers.sh); $PY logic_refs.py OUTDIR
(OUTDIR = rnn4j-core/src/test/resources/org/rnn4j/ops). Writes keras_logic_refs.txt in the format
of op_cases.py (read by KerasOpsRefs): per case the op's config.json entry, its tensor inputs, a
cotangent r, Keras's output (bool, written as 0/1) and the gradients of sum(cast(out, float32) * r)
(TensorFlow gives none through a bool: written as zeros).

Inputs hold ties (equal elements), zeros, NaN and infinities, where comparisons and the
truthiness of floats are decided.
"""
import os
import sys

os.environ.setdefault("KERAS_BACKEND", "tensorflow")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import numpy as np
import tensorflow as tf
import keras
from keras import ops

import op_cases

out_dir = sys.argv[1]
rng = np.random.default_rng(20261207)


lines = []


def case(name, fn, inputs):
    """fn maps Keras Inputs to one boolean op output; inputs are arrays with batch axis."""
    op_cases.case(lines, name, fn, inputs, lambda shape: rng.standard_normal(shape).astype(np.float32), tf.bool)


B = 2
# Small integers make ties; then NaN, infinities and zeros in fixed places.
a = rng.integers(-2, 3, (B, 3, 4)).astype(np.float32)
b = rng.integers(-2, 3, (B, 3, 4)).astype(np.float32)
a[0, 0, 0] = np.nan
b[0, 0, 1] = np.nan
a[1, 2, 3] = b[1, 2, 3] = np.nan
a[0, 1, 0], b[0, 1, 0] = np.inf, np.inf
a[1, 0, 0], b[1, 0, 0] = -np.inf, 0.0
row = rng.integers(-1, 2, (B, 1, 4)).astype(np.float32)

case("equal", lambda x, y: ops.equal(x, y), [a, b])
case("not_equal", lambda x, y: ops.not_equal(x, y), [a, b])
case("not_equal_zero", lambda x: ops.not_equal(x, 0.0), [a])
case("greater", lambda x, y: ops.greater(x, y), [a, b])
case("greater_equal_broadcast", lambda x, y: ops.greater_equal(x, y), [a, row])
case("less", lambda x, y: ops.less(x, y), [a, b])
case("less_equal", lambda x, y: ops.less_equal(x, y), [a, b])
case("less_scalar", lambda x: ops.less(x, 1.0), [a])
case("logical_and", lambda x, y: ops.logical_and(x, y), [a, b])
case("logical_or_broadcast", lambda x, y: ops.logical_or(x, y), [a, row])
case("logical_not", lambda x: ops.logical_not(x), [a])
case("any_last", lambda x: ops.any(x, axis=-1), [a])
case("any_axis1_keepdims", lambda x: ops.any(x, axis=1, keepdims=True), [a])
case("all_last", lambda x: ops.all(x, axis=-1), [a])
case("all_axes_list", lambda x: ops.all(x, axis=[1, 2]), [np.where(np.isnan(a), 1.0, a + 3).astype(np.float32)])

with open(os.path.join(out_dir, "keras_logic_refs.txt"), "w") as f:
    f.write("\n".join(lines) + "\n")
print("wrote", len([l for l in lines if l.startswith("# case")]), "cases to", out_dir)
