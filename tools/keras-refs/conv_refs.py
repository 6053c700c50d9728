"""Reference outputs and gradients of Keras 3's convolution and pooling layers for rnn4j's tests.

Run with the offline peers venv:  PY=$(/work/shared/bench/setup-peers.sh); $PY conv_refs.py OUT_DIR
Writes OUT_DIR/conv_refs.txt (read by ConvRefs.java in rnn4j-core's tests):

    # case NAME
    layer CLASS {layer.get_config() as JSON}
    in SHAPE VALUES...          the input
    mask SHAPE VALUES...        (optional) the input's mask, 1/0
    w SHAPE VALUES...           one line per weight, in layer.weights order
    r SHAPE VALUES...           the cotangent: grads are of sum(output * r)
    out SHAPE VALUES...
    gin SHAPE VALUES...         d sum(out * r) / d input
    gw SHAPE VALUES...          d sum(out * r) / d weight, one per weight

Values are float32 printed with repr. Weights are random normal (non-zero bias) so layouts show.
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

rng = np.random.default_rng(20261207)


def arr(*shape):
    return rng.standard_normal(shape).astype(np.float32)


def fmt(a):
    a = np.asarray(a).astype(np.float32)
    return ",".join(str(d) for d in a.shape) + " " + " ".join(repr(float(v)) for v in a.reshape(-1))


lines = []


def case(name, layer, shape, mask=None, run_as=None):
    """run_as: (layer2, perm_in, perm_out) computes the output with layer2 on the permuted input
    (same weights) while the file records `layer`'s config."""
    x = arr(*shape)
    layer.build(shape)
    for v in layer.weights:
        v.assign(arr(*v.shape) * 0.5)
    if run_as is not None:
        twin, perm_in, perm_out = run_as
        twin.build(tuple(shape[i] for i in perm_in))
        for v, w in zip(twin.weights, layer.weights):
            v.assign(w)
    xt = tf.constant(x)
    with tf.GradientTape() as tape:
        tape.watch(xt)
        if run_as is not None:
            y = tf.transpose(twin(tf.transpose(xt, perm_in)), perm_out)
        else:
            y = layer(xt, mask=tf.constant(mask)) if mask is not None else layer(xt)
        r = arr(*y.shape)
        loss = tf.reduce_sum(y * r)
    weights = twin.weights if run_as is not None else layer.weights
    grads = tape.gradient(loss, [xt] + [v.value for v in weights])
    cfg = layer.get_config()
    for k in ("name", "trainable", "dtype"):
        cfg.pop(k, None)
    lines.append("# case " + name)
    lines.append("layer " + layer.__class__.__name__ + " " + json.dumps(cfg))
    lines.append("in " + fmt(x))
    if mask is not None:
        lines.append("mask " + fmt(mask.astype(np.float32)))
    for v in layer.weights:
        lines.append("w " + fmt(v.numpy()))
    lines.append("r " + fmt(r))
    lines.append("out " + fmt(y.numpy()))
    lines.append("gin " + fmt(grads[0].numpy()))
    for g in grads[1:]:
        lines.append("gw " + fmt(g.numpy()))


L = layers
# 1. channels_first everywhere Keras accepts it (TF's CPU kernels lack some NCHW ops; Keras
# transposes for them, the numbers are the same).
case("conv1d_cf", L.Conv1D(3, 3, data_format="channels_first", padding="same", activation="tanh"), (2, 4, 7))
case("conv1d_cf_strided", L.Conv1D(2, 2, strides=2, data_format="channels_first"), (2, 3, 7))
case("conv2d_cf", L.Conv2D(3, (2, 3), data_format="channels_first", padding="same"), (2, 2, 5, 4))
case("maxpool1d_cf", L.MaxPooling1D(2, data_format="channels_first", padding="same"), (2, 3, 5))
case("avgpool1d_cf", L.AveragePooling1D(3, strides=2, data_format="channels_first", padding="same"), (2, 3, 6))
case("maxpool2d_cf", L.MaxPooling2D((2, 2), data_format="channels_first"), (2, 3, 4, 5))
case("avgpool2d_cf", L.AveragePooling2D((2, 3), strides=1, padding="same", data_format="channels_first"), (2, 2, 4, 5))
case("gap1d_cf", L.GlobalAveragePooling1D(data_format="channels_first"), (2, 3, 5))
case("gap1d_cf_keep", L.GlobalAveragePooling1D(data_format="channels_first", keepdims=True), (2, 3, 5))
case("gap1d_cf_mask", L.GlobalAveragePooling1D(data_format="channels_first"), (2, 3, 5),
     mask=np.array([[1, 1, 0, 1, 0], [1, 0, 0, 0, 0]], dtype=bool))
case("gap1d_mask", L.GlobalAveragePooling1D(), (2, 5, 3),
     mask=np.array([[1, 1, 0, 1, 0], [1, 0, 0, 0, 1]], dtype=bool))
case("gmp1d_cf", L.GlobalMaxPooling1D(data_format="channels_first"), (2, 3, 5))
case("gmp1d_cf_keep", L.GlobalMaxPooling1D(data_format="channels_first", keepdims=True), (2, 3, 5))
# 2. groups
case("conv1d_groups", L.Conv1D(4, 3, groups=2, padding="same"), (2, 6, 4))
case("conv2d_groups", L.Conv2D(6, (2, 2), groups=3, activation="relu"), (2, 4, 4, 3))
# Keras 3.15's TensorFlow backend computes grouped channels_first convolutions wrongly on CPU
# (its JAX backend and a direct numpy loop agree with each other, not with it), so this case's
# numbers come from the channels_last layer on the transposed input.
case("conv1d_groups_cf", L.Conv1D(4, 2, groups=4, data_format="channels_first"), (2, 4, 5),
     run_as=(L.Conv1D(4, 2, groups=4), (0, 2, 1), (0, 2, 1)))
# 3. new layers
case("conv3d", L.Conv3D(2, (2, 2, 2)), (2, 3, 4, 3, 2))
case("conv3d_same_strided", L.Conv3D(3, (3, 2, 2), strides=(2, 1, 2), padding="same", activation="sigmoid"), (1, 5, 3, 4, 2))
case("conv3d_dilated", L.Conv3D(2, 2, dilation_rate=(2, 1, 1), use_bias=False), (1, 5, 3, 3, 1))
case("conv3d_cf", L.Conv3D(2, 2, data_format="channels_first", padding="same"), (1, 2, 3, 4, 3))
case("conv3d_groups", L.Conv3D(4, 2, groups=2), (1, 3, 3, 3, 4))
case("maxpool3d", L.MaxPooling3D((2, 2, 2)), (2, 4, 5, 4, 2))
case("maxpool3d_same", L.MaxPooling3D((2, 3, 2), strides=(1, 2, 2), padding="same"), (1, 3, 5, 4, 2))
case("maxpool3d_cf", L.MaxPooling3D(2, data_format="channels_first"), (1, 2, 4, 4, 3))
case("avgpool3d", L.AveragePooling3D((2, 2, 2)), (2, 4, 4, 3, 2))
case("avgpool3d_same", L.AveragePooling3D((3, 3, 2), strides=(2, 2, 1), padding="same"), (1, 5, 4, 3, 2))
case("avgpool3d_cf", L.AveragePooling3D(2, data_format="channels_first", padding="same"), (1, 2, 3, 4, 3))
case("gmp2d", L.GlobalMaxPooling2D(), (2, 3, 4, 3))
case("gmp2d_cf_keep", L.GlobalMaxPooling2D(data_format="channels_first", keepdims=True), (2, 3, 4, 3))
case("gap2d", L.GlobalAveragePooling2D(keepdims=True), (2, 3, 4, 3))
case("gap2d_cf", L.GlobalAveragePooling2D(data_format="channels_first"), (2, 3, 4, 3))
case("gmp3d", L.GlobalMaxPooling3D(), (2, 2, 3, 4, 3))
case("gmp3d_cf", L.GlobalMaxPooling3D(data_format="channels_first", keepdims=True), (2, 3, 2, 3, 2))
case("gap3d", L.GlobalAveragePooling3D(keepdims=True), (2, 2, 3, 2, 3))
case("gap3d_cf", L.GlobalAveragePooling3D(data_format="channels_first"), (2, 3, 2, 3, 2))
case("sepconv1d", L.SeparableConv1D(4, 3, depth_multiplier=2, padding="same", activation="relu"), (2, 6, 3))
case("sepconv1d_strided_cf", L.SeparableConv1D(2, 2, strides=2, data_format="channels_first"), (2, 3, 7))
case("sepconv1d_dilated", L.SeparableConv1D(3, 2, dilation_rate=2, use_bias=False), (1, 7, 2))
case("dwconv1d", L.DepthwiseConv1D(3, depth_multiplier=2), (2, 6, 3))
case("dwconv1d_same_cf", L.DepthwiseConv1D(2, padding="same", data_format="channels_first", activation="tanh"), (2, 3, 5))
case("sepconv2d", L.SeparableConv2D(3, (2, 2), depth_multiplier=2, padding="same"), (2, 4, 3, 2))
case("dwconv2d", L.DepthwiseConv2D((2, 3), strides=(1, 2), depth_multiplier=3), (1, 4, 5, 2))
case("dwconv2d_cf", L.DepthwiseConv2D(2, data_format="channels_first", padding="same"), (1, 2, 3, 4))
# 4. causal dilated Conv1D stacks (WaveNet/TCN): each layer on its own, and the receptive field
case("conv1d_causal_d1", L.Conv1D(3, 2, padding="causal", dilation_rate=1), (2, 9, 2))
case("conv1d_causal_d2", L.Conv1D(3, 2, padding="causal", dilation_rate=2, activation="relu"), (2, 9, 3))
case("conv1d_causal_d4", L.Conv1D(2, 3, padding="causal", dilation_rate=4), (2, 11, 3))
case("conv1d_causal_d8_k2", L.Conv1D(2, 2, padding="causal", dilation_rate=8), (1, 12, 2))

out = sys.argv[1] if len(sys.argv) > 1 else "."
os.makedirs(out, exist_ok=True)
with open(os.path.join(out, "conv_refs.txt"), "w") as f:
    f.write("# Made by tools/keras-refs/conv_refs.py with Keras " + keras.__version__ + " (TensorFlow backend)\n")
    f.write("\n".join(lines) + "\n")
print(len([l for l in lines if l.startswith("# case")]), "cases")
