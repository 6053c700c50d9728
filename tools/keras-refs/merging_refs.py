"""Reference outputs of Keras 3's merge layers and Permute for rnn4j's tests.

Run with the offline peers venv:  PY=$(/work/shared/bench/setup-peers.sh); $PY merging_refs.py OUT
Writes a small text file (see MergeRefs.java in rnn4j-core's tests for the format):

    # case NAME
    layer CLASS {json config keys besides name/trainable/dtype}
    in SHAPE VALUES...           one line per input, in order
    mask SHAPE VALUES... | mask -    the input's mask (1/0) or none, one per input
    r SHAPE VALUES...            the cotangent: grads are of sum(output * r)
    out SHAPE VALUES...
    outmask SHAPE VALUES... | outmask -
    grad SHAPE VALUES...         d sum(out * r) / d input, one per input

Values are float32 printed with repr (shortest round-trip form).
"""
import json
import os
import sys

os.environ.setdefault("KERAS_BACKEND", "tensorflow")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import numpy as np
import tensorflow as tf
import keras
from keras import layers
from keras.src import backend

rng = np.random.default_rng(20260909)


def arr(*shape, ties=False):
    if ties:
        # small integers make ties between inputs likely (checks Maximum/Minimum's tie rule)
        return rng.integers(-2, 3, size=shape).astype(np.float32)
    return rng.standard_normal(shape).astype(np.float32)


def fmt(a):
    a = np.asarray(a)
    if a.dtype == bool:
        a = a.astype(np.float32)
    a = a.astype(np.float32)
    return ",".join(str(d) for d in a.shape) + " " + " ".join(repr(float(v)) for v in a.reshape(-1))


lines = []


def case(name, layer, inputs, masks=None):
    masks = masks or [None] * len(inputs)
    tensors = [tf.constant(x) for x in inputs]
    with tf.GradientTape() as tape:
        for t in tensors:
            tape.watch(t)
        attached = []
        for t, m in zip(tensors, masks):
            t2 = tf.identity(t)
            if m is not None:
                backend.set_keras_mask(t2, tf.constant(m))
            attached.append(t2)
        out = layer(attached)
        out_mask = backend.get_keras_mask(out)
        r = tf.constant(arr(*out.shape))
        obj = tf.reduce_sum(out * r)
    grads = tape.gradient(obj, tensors)
    cfg = layer.get_config()
    extra = {k: v for k, v in cfg.items() if k not in ("name", "trainable", "dtype")}
    lines.append("# case " + name)
    lines.append("layer " + type(layer).__name__ + " " + json.dumps(extra))
    for x in inputs:
        lines.append("in " + fmt(x))
    for m in masks:
        lines.append("mask " + ("-" if m is None else fmt(m)))
    lines.append("r " + fmt(r.numpy()))
    lines.append("out " + fmt(out.numpy()))
    lines.append("outmask " + ("-" if out_mask is None else fmt(out_mask.numpy())))
    for g, x in zip(grads, inputs):
        lines.append("grad " + fmt(np.zeros_like(x) if g is None else g.numpy()))


m1 = np.array([[True, True, False], [True, False, False]])
m2 = np.array([[True, False, True], [False, False, True]])
m3 = np.array([[False, True, True], [True, False, False]])

case("add_broadcast", layers.Add(), [arr(2, 3, 4), arr(2, 1, 4), arr(2, 3, 1)])
case("add_rank_mismatch", layers.Add(), [arr(2, 3, 4), arr(2, 4)])
case("add_masked", layers.Add(), [arr(2, 3, 2), arr(2, 3, 2)], [m1, m2])
case("subtract_broadcast", layers.Subtract(), [arr(2, 3), arr(2, 1)])
case("multiply_masked", layers.Multiply(), [arr(2, 3, 2), arr(2, 3, 2), arr(2, 3, 2)], [m1, m2, m3])
case("multiply_partial_mask", layers.Multiply(), [arr(2, 3, 2), arr(2, 3, 2)], [m1, None])
case("multiply_broadcast", layers.Multiply(), [arr(2, 3, 4), arr(2, 1, 4)])
case("average_three", layers.Average(), [arr(2, 3), arr(2, 3), arr(2, 3)])
case("average_masked_broadcast", layers.Average(), [arr(2, 3, 2), arr(2, 3, 1)], [m1, m2])
case("maximum_ties", layers.Maximum(), [arr(2, 3, 4, ties=True), arr(2, 3, 4, ties=True), arr(2, 3, 4, ties=True)])
case("maximum_masked", layers.Maximum(), [arr(2, 3, 2, ties=True), arr(2, 3, 2, ties=True), arr(2, 3, 2)], [m1, m2, m3])
case("maximum_first_unmasked", layers.Maximum(), [arr(2, 3, 2), arr(2, 3, 2), arr(2, 3, 2)], [None, m2, m3])
case("minimum_ties", layers.Minimum(), [arr(2, 5, ties=True), arr(2, 5, ties=True)])
case("minimum_masked", layers.Minimum(), [arr(2, 3, 2, ties=True), arr(2, 3, 2, ties=True)], [m1, m2])
case("minimum_broadcast", layers.Minimum(), [arr(2, 3, 4), arr(2, 1, 4)])
case("concatenate_features_masks", layers.Concatenate(), [arr(2, 3, 2), arr(2, 3, 3)], [m1, None])
case("concatenate_features_both_masks", layers.Concatenate(axis=-1), [arr(2, 3, 2), arr(2, 3, 1)], [m1, m2])
case("concatenate_time_masks", layers.Concatenate(axis=1), [arr(2, 3, 2), arr(2, 2, 2)], [m1, None])
case("concatenate_axis1_rank2", layers.Concatenate(axis=1), [arr(2, 3), arr(2, 4), arr(2, 1)])
case("concatenate_axis_minus2", layers.Concatenate(axis=-2), [arr(2, 2, 3), arr(2, 1, 3)])
case("dot_vectors", layers.Dot(axes=-1), [arr(2, 4), arr(2, 4)])
case("dot_vectors_normalize", layers.Dot(axes=1, normalize=True), [arr(2, 4), arr(2, 4)])
case("dot_pair_normalize", layers.Dot(axes=(1, 2), normalize=True), [arr(2, 3, 5), arr(2, 4, 3)])
case("dot_axes2", layers.Dot(axes=2), [arr(2, 3, 4), arr(2, 5, 4)])
case("dot_pair_negative", layers.Dot(axes=[-1, 1]), [arr(2, 3, 4), arr(2, 4, 2, 2)])
case("dot_matrix_vector_normalize", layers.Dot(axes=[2, 1], normalize=True), [arr(2, 3, 4), arr(2, 4)])
case("dot_masked_inputs", layers.Dot(axes=2), [arr(2, 3, 2), arr(2, 3, 2)], [m1, m2])


def permute_case(name, dims, x):
    layer = layers.Permute(dims)
    t = tf.constant(x)
    with tf.GradientTape() as tape:
        tape.watch(t)
        out = layer(t)
        r = tf.constant(arr(*out.shape))
        obj = tf.reduce_sum(out * r)
    g = tape.gradient(obj, t)
    cfg = layer.get_config()
    extra = {k: (list(v) if isinstance(v, tuple) else v) for k, v in cfg.items() if k not in ("name", "trainable", "dtype")}
    lines.append("# case " + name)
    lines.append("layer Permute " + json.dumps(extra))
    lines.append("in " + fmt(x))
    lines.append("mask -")
    lines.append("r " + fmt(r.numpy()))
    lines.append("out " + fmt(out.numpy()))
    lines.append("outmask -")
    lines.append("grad " + fmt(g.numpy()))


permute_case("permute_21", (2, 1), arr(2, 3, 4))
permute_case("permute_312", (3, 1, 2), arr(2, 2, 3, 4))

# The configs Keras 3 writes (saved into the file so the Java test checks the keys exactly).
for layer in [layers.Concatenate(axis=1, name="cat"), layers.Dot(axes=(1, 2), normalize=True, name="dot"),
              layers.Dot(axes=-1, name="dot_int"), layers.Permute((2, 1), name="perm"), layers.Add(name="add"),
              layers.Subtract(name="sub"), layers.Multiply(name="mul"), layers.Average(name="avg"),
              layers.Maximum(name="max"), layers.Minimum(name="min")]:
    lines.append("config " + type(layer).__name__ + " " + json.dumps(keras.saving.serialize_keras_object(layer)["config"]))

header = "# Made by tools/keras-refs/merging_refs.py with Keras %s, TensorFlow %s\n" % (keras.__version__, tf.__version__)
with open(sys.argv[1], "w") as f:
    f.write(header + "\n".join(lines) + "\n")
print("wrote", sys.argv[1], len(lines), "lines")
