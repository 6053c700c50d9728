"""Reference outputs and gradients of Keras 3's transposed convolutions (1D, 2D, 3D), up-sampling, zero-padding
and cropping layers for rnn4j's tests (ConvTransposeRefs.java in rnn4j-core's tests).

Run with the offline peers venv:  PY=$(/work/shared/bench/setup-peers.sh); $PY conv_transpose_refs.py OUT
Format, one case after another:

    # case NAME
    layer CLASS {json: the layer's get_config() without name/trainable/dtype}
    in SHAPE VALUES...
    w SHAPE VALUES...        one line per weight, in Keras's variable order (random, set before the call)
    r SHAPE VALUES...        the cotangent: grads are of sum(output * r)
    out SHAPE VALUES...
    grad SHAPE VALUES...     d sum(out * r) / d input
    wgrad SHAPE VALUES...    d sum(out * r) / d weight, one per weight

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

rng = np.random.default_rng(20261207)


def arr(*shape):
    return rng.standard_normal(shape).astype(np.float32)


def fmt(a):
    a = np.asarray(a, dtype=np.float32)
    return ",".join(str(d) for d in a.shape) + " " + " ".join(repr(float(v)) for v in a.reshape(-1))


lines = []


def case(name, layer, shape):
    x = arr(*shape)
    layer.build(x.shape)
    for w in layer.weights:
        w.assign(arr(*w.shape) * 0.5)
    xt = tf.constant(x)
    with tf.GradientTape(persistent=True) as tape:
        tape.watch(xt)
        y = layer(xt)
        r = tf.constant(arr(*y.shape))
        obj = tf.reduce_sum(y * r)
    gx = tape.gradient(obj, xt)
    gw = tape.gradient(obj, [w.value for w in layer.weights]) if layer.weights else []
    cfg = layer.get_config()
    for k in ("name", "trainable", "dtype"):
        cfg.pop(k, None)
    lines.append("# case " + name)
    lines.append("layer " + type(layer).__name__ + " " + json.dumps(cfg))
    lines.append("in " + fmt(x))
    for w in layer.weights:
        lines.append("w " + fmt(w.numpy()))
    lines.append("r " + fmt(r))
    lines.append("out " + fmt(y))
    lines.append("grad " + fmt(gx))
    for g in gw:
        lines.append("wgrad " + fmt(g))


def main():
    out = sys.argv[1]
    C1, C2 = layers.Conv1DTranspose, layers.Conv2DTranspose
    case("c1_valid", C1(3, 3), (2, 5, 2))
    case("c1_valid_s2", C1(2, 3, strides=2), (2, 4, 3))
    case("c1_same_s2", C1(2, 3, strides=2, padding="same"), (1, 5, 2))
    case("c1_same_s3_k2", C1(2, 2, strides=3, padding="same", activation="tanh"), (1, 4, 2))
    case("c1_valid_op", C1(2, 3, strides=3, output_padding=2), (1, 3, 2))
    case("c1_same_op", C1(2, 4, strides=2, padding="same", output_padding=1), (1, 4, 2))
    case("c1_same_op0", C1(2, 3, strides=2, padding="same", output_padding=0, use_bias=False), (1, 4, 2))
    case("c1_dil", C1(2, 3, dilation_rate=2, padding="same", activation="relu"), (2, 6, 2))
    case("c1_dil_valid", C1(2, 2, dilation_rate=3), (1, 4, 3))
    case("c1_k1_s4", C1(2, 1, strides=4), (1, 3, 2))
    case("c1_cf", C1(3, 3, strides=2, data_format="channels_first", padding="same"), (2, 2, 4))
    case("c2_valid", C2(2, 3), (1, 3, 4, 2))
    case("c2_same_s2", C2(3, (3, 2), strides=(2, 1), padding="same"), (2, 3, 3, 2))
    case("c2_valid_op", C2(2, 3, strides=(2, 3), output_padding=(1, 2), activation="sigmoid"), (1, 3, 2, 2))
    case("c2_same_op", C2(2, (2, 3), strides=2, padding="same", output_padding=(1, 1)), (1, 2, 3, 3))
    case("c2_dil", C2(2, 2, dilation_rate=(2, 1), padding="same", use_bias=False), (1, 4, 3, 2))
    case("c2_cf", C2(2, 3, strides=2, data_format="channels_first"), (1, 3, 2, 3))
    case("up1", layers.UpSampling1D(3), (2, 3, 2))
    case("up2_nearest", layers.UpSampling2D((2, 3)), (1, 2, 3, 2))
    case("up2_bilinear", layers.UpSampling2D((2, 3), interpolation="bilinear"), (2, 3, 4, 2))
    case("up2_bilinear_4", layers.UpSampling2D(4, interpolation="bilinear"), (1, 2, 3, 1))
    case("up2_cf", layers.UpSampling2D(2, data_format="channels_first", interpolation="bilinear"), (1, 2, 3, 2))
    case("zp1", layers.ZeroPadding1D((1, 2)), (2, 3, 2))
    case("zp1_cf", layers.ZeroPadding1D(2, data_format="channels_first"), (1, 2, 3))
    case("cr1", layers.Cropping1D((2, 1)), (2, 5, 2))
    case("zp2", layers.ZeroPadding2D(((1, 0), (2, 1))), (1, 2, 3, 2))
    case("zp2_cf", layers.ZeroPadding2D(1, data_format="channels_first"), (1, 2, 2, 3))
    case("cr2", layers.Cropping2D(((1, 0), (2, 1))), (2, 4, 5, 2))
    case("cr2_cf", layers.Cropping2D((1, 2), data_format="channels_first"), (1, 2, 4, 5))
    # Conv3DTranspose last, so that adding it left the random draws of the cases above unchanged.
    C3 = layers.Conv3DTranspose
    case("c3_valid", C3(2, 2), (1, 2, 3, 2, 2))
    case("c3_valid_s", C3(2, (2, 2, 3), strides=(2, 1, 2)), (1, 2, 2, 2, 2))
    case("c3_same_op", C3(2, 2, strides=(3, 2, 2), padding="same", output_padding=(2, 1, 1), activation="tanh"),
         (1, 2, 2, 2, 1))
    case("c3_valid_op", C3(2, (3, 2, 2), strides=(2, 2, 3), output_padding=(1, 0, 2), use_bias=False), (1, 2, 2, 2, 1))
    case("c3_dil", C3(2, 2, dilation_rate=(2, 1, 2), padding="same", activation="relu"), (1, 3, 2, 4, 2))
    case("c3_cf", C3(2, (3, 2, 2), strides=2, padding="same", data_format="channels_first"), (1, 2, 2, 2, 2))
    with open(os.path.join(out, "keras_convt_refs.txt"), "w") as fh:
        fh.write("# Keras %s, TensorFlow %s: tools/keras-refs/conv_transpose_refs.py\n" % (keras.__version__, tf.__version__))
        fh.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
