"""The reference-case writer ops_refs.py and logic_refs.py share (the format KerasOpsRefs reads).

A case is one Keras 3 operation node, made by calling fn on Keras Inputs in a functional model:
      # case NAME
      layer {JSON: module, class_name, config, args of the op's config.json entry}
      in SHAPE VALUES...      one line per tensor argument, in call order
      r SHAPE VALUES...       the cotangent: grads are of sum(cast(output, float32) * r)
      out SHAPE VALUES...     (a bool output as 0/1)
      grad SHAPE VALUES...    d sum(out * r) / d input, one per tensor argument (zeros where TF gives none)
Values are float32 printed with repr. Import after setting KERAS_BACKEND.
"""
import json

import numpy as np
import tensorflow as tf
import keras


def fmt(a):
    a = np.asarray(a).astype(np.float32)
    return ",".join(str(d) for d in a.shape) + " " + " ".join(repr(float(v)) for v in a.reshape(-1))


def case(lines, name, fn, inputs, cotangent, dtype=None):
    """Appends the case to lines; cotangent(shape) makes r; dtype, when given, is the output's required dtype."""
    keras.utils.clear_session()
    kin = [keras.Input(x.shape[1:]) for x in inputs]
    model = keras.Model(kin, fn(*kin))
    entries = [l for l in model.get_config()["layers"] if l["module"].startswith("keras.src.ops")]
    assert len(entries) == 1, (name, [e["class_name"] for e in entries])
    e = entries[0]
    entry = {"module": e["module"], "class_name": e["class_name"], "config": e["config"],
             "args": e["inbound_nodes"][0]["args"]}
    tensors = [tf.constant(x) for x in inputs]
    with tf.GradientTape(persistent=True) as tape:
        for t in tensors:
            tape.watch(t)
        y = model(tensors if len(tensors) > 1 else tensors[0])
        assert dtype is None or y.dtype == dtype, (name, y.dtype)
        r = tf.constant(cotangent(y.shape))
        obj = tf.reduce_sum(tf.cast(y, tf.float32) * r)
    grads = tape.gradient(obj, tensors)
    lines.append("# case " + name)
    lines.append("layer " + json.dumps(entry))
    for x in inputs:
        lines.append("in " + fmt(x))
    lines.append("r " + fmt(r.numpy()))
    lines.append("out " + fmt(y.numpy()))
    for g, x in zip(grads, inputs):
        lines.append("grad " + fmt(np.zeros_like(x) if g is None else g.numpy()))
