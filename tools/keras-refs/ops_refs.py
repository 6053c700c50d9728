"""Keras 3 references for rnn4j's operation nodes (org.rnn4j.ops), issue #16.

Run with the offline peers venv:  PY=$(/work/shared/bench/setup-peers.sh); $PY ops_refs.py OUTDIR
(OUTDIR = rnn4j-core/src/test/resources/org/rnn4j/ops). Writes:

- keras_ops_refs.txt: one case per op use, each
      # case NAME
      layer {JSON: module, class_name, config, args of the op's config.json entry}
      in SHAPE VALUES...      one line per tensor argument, in call order
      r SHAPE VALUES...       the cotangent: grads are of sum(output * r)
      out SHAPE VALUES...
      grad SHAPE VALUES...    d sum(out * r) / d input, one per tensor argument
  values are float32 printed with repr.
- train/: a functional model with an `x + y` residual and a keras.ops.mean node trained two
  train_on_batch steps (SGD momentum): x.npy, y.npy, w_init_I.npy, w_stepS_I.npy, losses.txt.
- keras/: small real .keras files with op nodes, with inputs (NAME_x.npy) and outputs (NAME_y.npy),
  for the functional loader: ops_residual.keras (LSTM -> Dense -> `x + inputs`),
  ops_mean.keras (Dense -> keras.ops.mean(x, axis=1) -> Dense), ops_getitem.keras
  (LSTM -> x[:, -1, :] -> Dense), ops_mixed.keras (constants, softmax, transpose, matmul, concat).
"""
import os
import sys

os.environ.setdefault("KERAS_BACKEND", "tensorflow")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import numpy as np
import tensorflow as tf
import keras
from keras import layers, ops

import op_cases

out_dir = sys.argv[1]
rng = np.random.default_rng(20260916)


def arr(*shape, positive=False):
    a = rng.standard_normal(shape).astype(np.float32)
    return np.abs(a) + 0.5 if positive else a


lines = []


def case(name, fn, inputs):
    """fn maps Keras Inputs to one op output; inputs are arrays with batch axis."""
    op_cases.case(lines, name, fn, inputs, lambda shape: arr(*shape))


B = 2
x3 = arr(B, 3, 4)
y3 = arr(B, 3, 4)
pos = arr(B, 3, 4, positive=True)
case("add", lambda a, b: a + b, [x3, y3])
case("add_broadcast", lambda a, b: a + b, [x3, arr(B, 1, 4)])
case("add_scalar", lambda a: a + 1, [x3])
case("add_numpy", lambda a: a + np.arange(4, dtype="float32"), [x3])
case("rsub_scalar", lambda a: 1.0 - a, [x3])
case("subtract", lambda a, b: ops.subtract(a, b), [x3, arr(B, 3, 1)])
case("multiply", lambda a, b: a * b, [x3, y3])
case("multiply_numpy", lambda a: a * arr(3, 4), [x3])
case("true_divide", lambda a, b: a / b, [x3, pos])
case("rtrue_divide", lambda a: 2.0 / a, [pos])
case("divide_scalar", lambda a: ops.divide(a, 3), [x3])
case("negative", lambda a: -a, [x3])
case("matmul", lambda a, b: ops.matmul(a, b), [x3, arr(B, 4, 5)])
case("matmul_const", lambda a: a @ arr(4, 5), [x3])
case("matmul_vector", lambda a: ops.matmul(a, arr(4)), [x3])
case("mean", lambda a: ops.mean(a, axis=1), [x3])
case("mean_keepdims_axes", lambda a: ops.mean(a, axis=[1, 2], keepdims=True), [x3])
case("sum", lambda a: ops.sum(a, axis=-1), [x3])
case("max", lambda a: ops.max(a, axis=1), [x3])
case("min_keepdims", lambda a: ops.min(a, axis=-1, keepdims=True), [x3])
case("concatenate_last", lambda a, b: ops.concatenate([a, b], axis=-1), [x3, arr(B, 3, 2)])
case("concatenate_time", lambda a, b, c: ops.concatenate([a, b, c], axis=1), [x3, arr(B, 1, 4), arr(B, 2, 4)])
case("reshape", lambda a: ops.reshape(a, (-1, 12)), [x3])
case("reshape_3d", lambda a: ops.reshape(a, (-1, 2, 6)), [x3])
case("transpose", lambda a: ops.transpose(a, (0, 2, 1)), [x3])
case("expand_dims", lambda a: ops.expand_dims(a, 1), [x3])
case("expand_dims_last", lambda a: ops.expand_dims(a, -1), [x3])
case("squeeze", lambda a: ops.squeeze(a, axis=1), [arr(B, 1, 4)])
case("getitem_last_step", lambda a: a[:, -1, :], [x3])
case("getitem_last_step_short", lambda a: a[:, -1], [x3])
case("getitem_slices", lambda a: a[:, 1:4:2, None, ...], [arr(B, 5, 4)])
case("getitem_ellipsis", lambda a: a[..., 0], [x3])
case("getitem_reverse", lambda a: a[:, ::-1], [x3])
case("getitem_negative_slice", lambda a: a[:, -3:-1, 1:], [arr(B, 5, 4)])
case("getitem_negative_step", lambda a: a[:, 3:0:-2], [arr(B, 5, 4)])
case("relu", lambda a: ops.relu(a), [x3])
case("sigmoid", lambda a: ops.sigmoid(a), [x3])
case("tanh", lambda a: ops.tanh(a), [x3])
case("softmax", lambda a: ops.softmax(a), [x3])
case("softmax_axis1", lambda a: ops.softmax(a, axis=1), [x3])
case("exp", lambda a: ops.exp(a), [x3])
case("log", lambda a: ops.log(a), [pos])
case("sqrt", lambda a: ops.sqrt(a), [pos])
case("square", lambda a: ops.square(a), [x3])
case("absolute", lambda a: ops.abs(a), [x3])
case("cast_float", lambda a: ops.cast(a, "float32"), [x3])
with open(os.path.join(out_dir, "keras_ops_refs.txt"), "w") as f:
    f.write("\n".join(lines) + "\n")

# ---------------------------------------------------------------- two training steps
keras.utils.clear_session()
tdir = os.path.join(out_dir, "train")
os.makedirs(tdir, exist_ok=True)
inp = keras.Input((5, 4), name="series")
h = layers.Dense(4, activation="tanh", name="proj")(inp)
h = h + inp
h = layers.Dense(6, activation="relu", name="hidden")(h)
h = ops.mean(h, axis=1)
out = layers.Dense(2, name="head")(h)
model = keras.Model(inp, out)
for w in model.weights:
    w.assign(rng.uniform(-0.5, 0.5, size=w.shape).astype(np.float32))
x = arr(8, 5, 4)
y = arr(8, 2)
np.save(os.path.join(tdir, "x.npy"), x)
np.save(os.path.join(tdir, "y.npy"), y)
for i, w in enumerate(model.weights):
    np.save(os.path.join(tdir, "w_init_%d.npy" % i), w.numpy())
model.compile(optimizer=keras.optimizers.SGD(0.1, momentum=0.9), loss="mse")
losses = []
for step in (1, 2):
    losses.append(float(model.train_on_batch(x, y)))
    for i, w in enumerate(model.weights):
        np.save(os.path.join(tdir, "w_step%d_%d.npy" % (step, i)), w.numpy())
with open(os.path.join(tdir, "losses.txt"), "w") as f:
    f.write("\n".join(repr(l) for l in losses) + "\n")

# ---------------------------------------------------------------- .keras files for the loader
kdir = os.path.join(out_dir, "keras")
os.makedirs(kdir, exist_ok=True)


def save(name, model, xs):
    for w in model.weights:
        w.assign(rng.uniform(-0.5, 0.5, size=w.shape).astype(np.float32))
    model.save(os.path.join(kdir, name + ".keras"))
    ys = model.predict(xs if len(xs) > 1 else xs[0], verbose=0)
    for i, xv in enumerate(xs):
        np.save(os.path.join(kdir, "%s_x%d.npy" % (name, i)), xv)
    np.save(os.path.join(kdir, name + "_y0.npy"), ys)


keras.utils.clear_session()
inp = keras.Input((6, 3))
x = layers.LSTM(3, return_sequences=True)(inp)
x = layers.Dense(3)(x)
x = x + inp
model = keras.Model(inp, layers.Dense(2)(x))
save("ops_residual", model, [arr(4, 6, 3)])

keras.utils.clear_session()
inp = keras.Input((6, 3))
x = layers.Dense(5, activation="relu")(inp)
x = ops.mean(x, axis=1)
model = keras.Model(inp, layers.Dense(2)(x))
save("ops_mean", model, [arr(4, 6, 3)])

keras.utils.clear_session()
inp = keras.Input((6, 3))
x = layers.LSTM(4, return_sequences=True)(inp)
x = x[:, -1, :]
model = keras.Model(inp, layers.Dense(2)(x))
save("ops_getitem", model, [arr(4, 6, 3)])

keras.utils.clear_session()
a = keras.Input((5, 4), name="a")
b = keras.Input((5, 4), name="b")
s = ops.softmax(ops.matmul(a, ops.transpose(b, (0, 2, 1))) / 2.0, axis=-1)
c = ops.concatenate([ops.matmul(s, b), a * np.linspace(0, 1, 4).astype("float32")], axis=-1)
c = 1.0 - ops.sqrt(ops.square(c) + 1.0)
model = keras.Model([a, b], layers.Dense(3)(ops.max(c, axis=1)))
save("ops_mixed", model, [arr(4, 5, 4), arr(4, 5, 4)])
print("ok")
