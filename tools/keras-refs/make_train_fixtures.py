#!/usr/bin/env python3
"""Generate Keras 3 two-step training reference fixtures for rnn4j (issue #9).

How to run (from the repository root; the output is committed, tests never run Python):

    PY=$(/work/shared/bench/setup-peers.sh)      # offline venv: Keras 3.15.1, TensorFlow 2.21.0
    KERAS_BACKEND=tensorflow CUDA_VISIBLE_DEVICES= \
        $PY tools/keras-refs/make_train_fixtures.py [OUT_DIR]

OUT_DIR defaults to rnn4j-core/src/test/resources/keras-train. Case names after OUT_DIR make
only those cases (the others keep their files and index entries). Generated with Keras 3.15.1,
TensorFlow 2.21.0 backend, NumPy 2.x, CPU only, float32.

For every case the script builds a small functional model, overwrites every variable
deterministically (RandomState(crc32(variable.path)).normal * 0.4, the same rule as
/work/shared/fixtures/keras-functional), draws N(0,1) inputs from a seeded RandomState,
compiles it, records `predict` before training, then runs exactly two `train_on_batch`
calls on the whole arrays (one batch, no shuffling) and records the returned log dicts and
the weights after step 1 and step 2. See README.md next to the generated files.
"""
import json
import os
import sys
import zlib

os.environ.setdefault("KERAS_BACKEND", "tensorflow")
os.environ.setdefault("CUDA_VISIBLE_DEVICES", "")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
# model.summary()'s default width is min(108, terminal columns - 4): pin a wide "terminal" so
# summary.txt has Keras's default line_length (108 for functional models) wherever this runs.
os.environ["COLUMNS"] = "200"

import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402
import keras  # noqa: E402
from keras import layers  # noqa: E402

tf.config.experimental.enable_op_determinism()

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
DEFAULT_OUT = os.path.join(ROOT, "rnn4j-core", "src", "test", "resources", "keras-train")


def seed_of(text):
    return zlib.crc32(text.encode("utf-8")) & 0xFFFFFFFF


def overwrite_weights(model):
    """Every variable := RandomState(crc32(path)).normal(size) * 0.4 (kernel fan-in > 64 scaled)."""
    for v in model.weights:
        shape = tuple(v.shape)
        rs = np.random.RandomState(seed_of(v.path))
        w = rs.normal(size=shape) * 0.4
        if len(shape) >= 2 and shape[0] > 64:
            w *= np.sqrt(64.0 / shape[0])
        v.assign(w.astype(np.float32))


def normal(rs, *shape):
    return rs.normal(size=shape).astype(np.float32)


def one_hot(rs, n, k):
    idx = rs.randint(0, k, size=n)
    out = np.zeros((n, k), np.float32)
    out[np.arange(n), idx] = 1.0
    return out


# ----------------------------------------------------------------------------- cases

def case_two_input():
    series = keras.Input((6, 3), name="series")
    context = keras.Input((4,), name="context")
    a = layers.LSTM(5, name="lstm")(series)
    b = layers.Dense(4, activation="relu", name="context_dense")(context)
    c = layers.Concatenate(name="concat")([a, b])
    out = layers.Dense(2, name="out")(c)
    model = keras.Model([series, context], out, name="two_input")
    compile_args = dict(optimizer=keras.optimizers.Adam(learning_rate=0.01), loss="mse")
    compile_json = dict(optimizer_repr="Adam(learning_rate=0.01)", loss="mse",
                        loss_weights=None, metrics=None)
    rs = np.random.RandomState(seed_of("two_input"))
    x = [normal(rs, 8, 6, 3), normal(rs, 8, 4)]
    y = [normal(rs, 8, 2)]
    return dict(model=model, compile=compile_args, compile_json=compile_json, x=x, y=y,
                description="Input series (6,3) -> LSTM(5); Input context (4,) -> "
                            "Dense(4, relu); Concatenate -> Dense(2). Adam(0.01), mse.")


def case_two_output():
    inp = keras.Input((7, 3), name="series")
    h = layers.GRU(6, name="gru")(inp)
    reg = layers.Dense(2, name="reg")(h)
    cls = layers.Dense(3, activation="softmax", name="cls")(h)
    model = keras.Model(inp, [reg, cls], name="two_output")
    compile_args = dict(
        optimizer=keras.optimizers.SGD(0.1, momentum=0.9),
        loss={"reg": "mse", "cls": "categorical_crossentropy"},
        loss_weights={"reg": 1.0, "cls": 0.5},
        metrics={"cls": ["accuracy"], "reg": ["mae"]},
    )
    compile_json = dict(optimizer_repr="SGD(0.1, momentum=0.9)",
                        loss=compile_args["loss"], loss_weights=compile_args["loss_weights"],
                        metrics=compile_args["metrics"])
    rs = np.random.RandomState(seed_of("two_output"))
    x = [normal(rs, 8, 7, 3)]
    y = [normal(rs, 8, 2), one_hot(rs, 8, 3)]
    return dict(model=model, compile=compile_args, compile_json=compile_json, x=x, y=y,
                y_as_dict=True,
                description="Input (7,3) -> GRU(6); heads Dense(2) 'reg' and Dense(3, softmax) "
                            "'cls'. SGD(0.1, momentum 0.9), losses {reg: mse, cls: "
                            "categorical_crossentropy}, loss_weights {reg: 1, cls: 0.5}, "
                            "metrics {cls: [accuracy], reg: [mae]}.")


def case_shared_dense_add():
    a = keras.Input((5,), name="a")
    b = keras.Input((5,), name="b")
    shared = layers.Dense(4, activation="tanh", name="shared")
    s = layers.Add(name="add")([shared(a), shared(b)])
    out = layers.Dense(1, name="out")(s)
    model = keras.Model([a, b], out, name="shared_dense_add")
    compile_args = dict(optimizer=keras.optimizers.Adam(), loss="mse")
    compile_json = dict(optimizer_repr="Adam()", loss="mse", loss_weights=None, metrics=None)
    rs = np.random.RandomState(seed_of("shared_dense_add"))
    x = [normal(rs, 8, 5), normal(rs, 8, 5)]
    y = [normal(rs, 8, 1)]
    return dict(model=model, compile=compile_args, compile_json=compile_json, x=x, y=y,
                description="Two inputs (5,) through the SAME Dense(4, tanh), Add, Dense(1). "
                            "Adam defaults, mse. The shared kernel's gradient is the sum over "
                            "both calls.")


def case_seq2seq_states():
    enc_in = keras.Input((5, 3), name="encoder_in")
    dec_in = keras.Input((4, 2), name="decoder_in")
    _, h, c = layers.LSTM(4, return_state=True, name="encoder")(enc_in)
    d = layers.LSTM(4, return_sequences=True, name="decoder")(dec_in, initial_state=[h, c])
    out = layers.Dense(2, name="out")(d)
    model = keras.Model([enc_in, dec_in], out, name="seq2seq_states")
    compile_args = dict(optimizer=keras.optimizers.RMSprop(0.01), loss="mse")
    compile_json = dict(optimizer_repr="RMSprop(0.01)", loss="mse", loss_weights=None,
                        metrics=None)
    rs = np.random.RandomState(seed_of("seq2seq_states"))
    x = [normal(rs, 8, 5, 3), normal(rs, 8, 4, 2)]
    y = [normal(rs, 8, 4, 2)]
    return dict(model=model, compile=compile_args, compile_json=compile_json, x=x, y=y,
                description="Encoder Input (5,3) -> LSTM(4, return_state); decoder Input (4,2) "
                            "-> LSTM(4, return_sequences, initial_state=[h, c]) -> Dense(2) "
                            "(time-distributed). RMSprop(0.01), mse. Gradients flow into the "
                            "encoder through the decoder's initial state.")


def case_conv_lstm_seq2seq_states():
    enc_in = keras.Input((3, 4, 4, 2), name="encoder_in")
    dec_in = keras.Input((2, 3, 3, 1), name="decoder_in")
    _, h, c = layers.ConvLSTM2D(2, 2, return_state=True, name="encoder")(enc_in)
    d = layers.ConvLSTM2D(2, 3, padding="same", return_sequences=True, name="decoder")(dec_in, initial_state=[h, c])
    model = keras.Model([enc_in, dec_in], d, name="conv_lstm_seq2seq_states")
    compile_args = dict(optimizer=keras.optimizers.RMSprop(0.01), loss="mse")
    compile_json = dict(optimizer_repr="RMSprop(0.01)", loss="mse", loss_weights=None,
                        metrics=None)
    rs = np.random.RandomState(seed_of("conv_lstm_seq2seq_states"))
    x = [normal(rs, 4, 3, 4, 4, 2), normal(rs, 4, 2, 3, 3, 1)]
    y = [normal(rs, 4, 2, 3, 3, 2)]
    return dict(model=model, compile=compile_args, compile_json=compile_json, x=x, y=y,
                description="Encoder Input (3,4,4,2) -> ConvLSTM2D(2, 2, return_state); decoder Input "
                            "(2,3,3,1) -> ConvLSTM2D(2, 3, same, return_sequences, initial_state=[h, c]). "
                            "RMSprop(0.01), mse. Gradients flow into the encoder through the decoder's "
                            "initial state (#13).")


def case_activity_regularizers():
    inp = keras.Input((6, 3), name="series")
    c = layers.Conv1D(4, 2, activity_regularizer=keras.regularizers.L1(0.02), name="conv")(inp)
    h = layers.LSTM(3, activity_regularizer=keras.regularizers.L2(0.05), name="lstm")(c)
    h = layers.ActivityRegularization(l1=0.05, l2=0.1, name="act_reg")(h)
    out = layers.Dense(2, activity_regularizer=keras.regularizers.L1L2(l1=0.01, l2=0.02), name="out")(h)
    model = keras.Model(inp, out, name="activity_regularizers")
    compile_args = dict(optimizer=keras.optimizers.SGD(0.1), loss="mse")
    compile_json = dict(optimizer_repr="SGD(0.1)", loss="mse", loss_weights=None, metrics=None)
    rs = np.random.RandomState(seed_of("activity_regularizers"))
    x = [normal(rs, 8, 6, 3)]
    y = [normal(rs, 8, 2)]
    return dict(model=model, compile=compile_args, compile_json=compile_json, x=x, y=y, evaluate=True,
                description="Input (6,3) -> Conv1D(4, 2, activity L1(0.02)) -> LSTM(3, activity "
                            "L2(0.05)) -> ActivityRegularization(l1=0.05, l2=0.1) -> Dense(2, activity "
                            "L1L2(0.01, 0.02)). SGD(0.1), mse. Each layer adds regularizer(output) / "
                            "batch to the loss (Keras 3's Layer.__call__); logs.json's evaluate0 is "
                            "evaluate() before training.")


def case_activity_inner_layers():
    # Keras adds activity losses from layers called inside other layers: Bidirectional's two copies
    # of the wrapped LSTM, and MultiHeadAttention's four projections (its activity_regularizer goes
    # to the inner EinsumDense layers, not to the MHA output); ConvLSTM1D's goes to its own output.
    inp = keras.Input((4, 5, 2), name="frames")
    c = layers.ConvLSTM1D(3, 2, padding="same", return_sequences=True,
                          activity_regularizer=keras.regularizers.L2(0.05), name="conv_lstm")(inp)
    h = layers.Reshape((4, 15), name="reshape")(c)
    h = layers.Bidirectional(layers.LSTM(3, return_sequences=True,
                                         activity_regularizer=keras.regularizers.L1(0.02)), name="bi")(h)
    h = layers.MultiHeadAttention(2, 2, activity_regularizer=keras.regularizers.L1L2(l1=0.01, l2=0.02),
                                  name="mha")(h, h)
    out = layers.Dense(2, name="out")(layers.GlobalAveragePooling1D(name="pool")(h))
    model = keras.Model(inp, out, name="activity_inner_layers")
    compile_args = dict(optimizer=keras.optimizers.SGD(0.1), loss="mse")
    compile_json = dict(optimizer_repr="SGD(0.1)", loss="mse", loss_weights=None, metrics=None)
    rs = np.random.RandomState(seed_of("activity_inner_layers"))
    x = [normal(rs, 6, 4, 5, 2)]
    y = [normal(rs, 6, 2)]
    return dict(model=model, compile=compile_args, compile_json=compile_json, x=x, y=y, evaluate=True,
                added_losses=7,
                description="Input (4,5,2) -> ConvLSTM1D(3, 2, same, return_sequences, activity "
                            "L2(0.05)) -> Reshape (4,15) -> Bidirectional(LSTM(3, return_sequences, "
                            "activity L1(0.02))) -> MultiHeadAttention(2, 2, activity L1L2(0.01, 0.02)) "
                            "self-attention -> GlobalAveragePooling1D -> Dense(2). SGD(0.1), mse. Seven "
                            "added losses: ConvLSTM1D's output, each Bidirectional copy's output, and "
                            "MHA's query, key, value and output projections, each regularizer(out) / batch.")


def case_mha_constraints():
    # MultiHeadAttention hands kernel_constraint / bias_constraint to its four EinsumDense
    # sublayers: each projection's kernel and bias is projected after every step.
    inp = keras.Input((5, 4), name="seq")
    h = layers.MultiHeadAttention(2, 3, value_dim=2, kernel_constraint=keras.constraints.MaxNorm(0.6),
                                  bias_constraint="non_neg", kernel_regularizer=keras.regularizers.L2(0.02),
                                  name="mha")(inp, inp)
    out = layers.Dense(2, name="out")(layers.GlobalAveragePooling1D(name="pool")(h))
    model = keras.Model(inp, out, name="mha_constraints")
    compile_args = dict(optimizer=keras.optimizers.SGD(0.1, momentum=0.9), loss="mse")
    compile_json = dict(optimizer_repr="SGD(0.1, momentum=0.9)", loss="mse", loss_weights=None, metrics=None)
    rs = np.random.RandomState(seed_of("mha_constraints"))
    x = [normal(rs, 6, 5, 4)]
    y = [normal(rs, 6, 2)]
    return dict(model=model, compile=compile_args, compile_json=compile_json, x=x, y=y, save_keras=False,
                description="Input (5,4) -> MultiHeadAttention(2 heads, key_dim 3, value_dim 2, kernel "
                            "MaxNorm(0.6) + L2(0.02), bias non_neg) self-attention -> GlobalAveragePooling1D "
                            "-> Dense(2). SGD(0.1, momentum 0.9), mse: the constraints project the four "
                            "projections' kernels and biases after each step.")


def case_group_norm():
    inp = keras.Input((6, 4), name="series")
    h = layers.GroupNormalization(groups=2, name="group_norm")(inp)
    out = layers.Dense(2, name="out")(h)
    model = keras.Model(inp, out, name="group_norm")
    compile_args = dict(optimizer=keras.optimizers.Adam(learning_rate=0.01), loss="mse")
    compile_json = dict(optimizer_repr="Adam(learning_rate=0.01)", loss="mse", loss_weights=None,
                        metrics=None)
    rs = np.random.RandomState(seed_of("group_norm"))
    x = [normal(rs, 8, 6, 4) * 2 + 0.5]
    y = [normal(rs, 8, 6, 2)]
    return dict(model=model, compile=compile_args, compile_json=compile_json, x=x, y=y,
                description="Input (6,4) -> GroupNormalization(groups=2) -> Dense(2) "
                            "(time-distributed). Adam(0.01), mse.")


CASES = [
    ("two_input", case_two_input),
    ("two_output", case_two_output),
    ("shared_dense_add", case_shared_dense_add),
    ("seq2seq_states", case_seq2seq_states),
    ("conv_lstm_seq2seq_states", case_conv_lstm_seq2seq_states),
    ("activity_regularizers", case_activity_regularizers),
    ("group_norm", case_group_norm),
    ("activity_inner_layers", case_activity_inner_layers),
    ("mha_constraints", lambda: case_mha_constraints()),
]


def activity_losses(model, xin):
    """Sum over layers with an activity_regularizer of l1*sum|out| + l2*sum(out^2), divided by the batch (numpy)."""
    total = 0.0
    for layer in model.layers:
        reg = layer.activity_regularizer
        if reg is None:
            continue
        out = keras.Model(model.inputs, layer.output).predict(xin, verbose=0).astype(np.float64)
        l1 = float(getattr(reg, "l1", 0.0))
        l2 = float(getattr(reg, "l2", 0.0))
        total += (l1 * np.abs(out).sum() + l2 * (out ** 2).sum()) / out.shape[0]
    return total


# ----------------------------------------------------------------------------- layer cases (#13)
# One chain of layers per case (Input -> layers -> mse on the last one), built in Java from the
# layers' configs in config.json (rnn4j-core LayerTrainingParityTest). Mostly plain SGD: its first
# step is w - lr * g exactly, so a wrong gradient scale shows (Adam's first step is ~lr * sign(g)).
# These cases write no model.keras (the chains are tested in the core, which reads no .keras).

def weight_losses(model):
    """Sum of the weight regularizers' penalties l1*sum|w| + l2*sum(w^2) (numpy), RNN cells and
    MultiHeadAttention's EinsumDense sublayers included."""
    total = 0.0
    owners = []
    for layer in model.layers:
        owners += [getattr(layer, "cell", layer)] + [getattr(layer, a) for a in
                                                     ("_query_dense", "_key_dense", "_value_dense", "_output_dense")
                                                     if hasattr(layer, a)]
    for owner in owners:
        for attr in ("kernel", "recurrent_kernel", "bias"):
            reg = getattr(owner, attr + "_regularizer" if attr != "recurrent_kernel" else "recurrent_regularizer", None)
            if reg is None or getattr(owner, attr, None) is None:
                continue
            w = np.asarray(getattr(owner, attr), np.float64)
            total += float(getattr(reg, "l1", 0.0)) * np.abs(w).sum() + float(getattr(reg, "l2", 0.0)) * (w * w).sum()
    return total


def chain(name, input_shape, stack, optimizer, optimizer_repr, description, batch=4):
    def build():
        inp = keras.Input(input_shape, name="x")
        h = inp
        for layer in stack():
            h = layer(h)
        model = keras.Model(inp, h, name=name)
        rs = np.random.RandomState(seed_of(name))
        x = [normal(rs, batch, *input_shape)]
        y = [normal(rs, batch, *model.output.shape[1:])]
        compile_args = dict(optimizer=optimizer(), loss="mse")
        compile_json = dict(optimizer_repr=optimizer_repr, loss="mse", loss_weights=None,
                            metrics=None)
        return dict(model=model, compile=compile_args, compile_json=compile_json, x=x, y=y,
                    save_keras=False, description=description)
    return (name, build)


def sgd(lr=0.1, momentum=0.0):
    return lambda: keras.optimizers.SGD(lr, momentum=momentum)


LAYER_CASES = [
    chain("conv1d_causal_dilated", (10, 3), lambda: [
        layers.Conv1D(4, 3, padding="causal", dilation_rate=2, activation="tanh", name="causal"),
        layers.Conv1D(4, 3, padding="same", dilation_rate=2, groups=2, name="grouped"),
        layers.Conv1D(3, 2, strides=2, use_bias=False, name="strided"),
        layers.Flatten(name="flatten"),
        layers.Dense(2, name="out"),
    ], sgd(), "SGD(0.1)", "Conv1D causal dilation 2 (tanh) -> Conv1D same dilation 2 groups 2 "
       "-> Conv1D strides 2 no bias -> Flatten -> Dense(2). SGD(0.1), mse."),
    chain("conv2d_grouped", (6, 5, 4), lambda: [
        layers.Conv2D(4, (3, 2), strides=(2, 1), padding="same", activation="relu", name="conv"),
        layers.Conv2D(6, 2, padding="same", dilation_rate=(1, 2), groups=2, name="grouped"),
        layers.Flatten(name="flatten"),
        layers.Dense(2, name="out"),
    ], sgd(0.01, 0.9), "SGD(0.01, momentum=0.9)",
       "Conv2D (3,2) strides (2,1) same relu -> Conv2D 2x2 same dilation (1,2) groups 2 -> "
       "Flatten -> Dense(2). SGD(0.01, momentum 0.9), mse."),
    chain("conv3d", (4, 5, 4, 2), lambda: [
        layers.Conv3D(3, (2, 3, 2), strides=(1, 2, 1), padding="same", activation="tanh",
                      name="conv"),
        layers.Conv3D(4, 2, dilation_rate=(1, 1, 2), name="dilated"),
        layers.GlobalAveragePooling3D(name="gap"),
        layers.Dense(2, name="out"),
    ], sgd(), "SGD(0.1)", "Conv3D (2,3,2) strides (1,2,1) same tanh -> Conv3D 2 dilation "
       "(1,1,2) -> GlobalAveragePooling3D -> Dense(2). SGD(0.1), mse."),
    chain("conv1d_transpose", (5, 3), lambda: [
        layers.Conv1DTranspose(4, 3, strides=2, padding="same", activation="tanh", name="up"),
        layers.Conv1DTranspose(3, 3, strides=2, output_padding=1, name="up_op"),
        layers.Conv1DTranspose(2, 2, dilation_rate=2, use_bias=False, name="dilated"),
        layers.Flatten(name="flatten"),
        layers.Dense(2, name="out"),
    ], sgd(0.03), "SGD(0.03)", "Conv1DTranspose strides 2 same tanh -> Conv1DTranspose strides "
       "2 output_padding 1 -> Conv1DTranspose dilation 2 no bias -> Flatten -> Dense(2). "
       "SGD(0.03), mse."),
    chain("conv2d_transpose", (4, 3, 2), lambda: [
        layers.Conv2DTranspose(3, (3, 2), strides=(2, 1), padding="same", activation="relu",
                               name="up"),
        layers.Conv2DTranspose(2, 2, strides=2, name="up2"),
        layers.Flatten(name="flatten"),
        layers.Dense(2, name="out"),
    ], sgd(0.01), "SGD(0.01)", "Conv2DTranspose (3,2) strides (2,1) same relu -> "
       "Conv2DTranspose 2 strides 2 valid -> Flatten -> Dense(2). SGD(0.01), mse."),
    chain("depthwise_separable_1d", (9, 3), lambda: [
        layers.DepthwiseConv1D(3, depth_multiplier=2, activation="tanh", name="depthwise"),
        layers.DepthwiseConv1D(2, strides=2, padding="same", name="depthwise_strided"),
        layers.SeparableConv1D(4, 3, depth_multiplier=2, padding="same", dilation_rate=2,
                               name="separable"),
        layers.Flatten(name="flatten"),
        layers.Dense(2, name="out"),
    ], sgd(), "SGD(0.1)", "DepthwiseConv1D 3 multiplier 2 tanh -> DepthwiseConv1D 2 strides 2 "
       "same -> SeparableConv1D 4 multiplier 2 same dilation 2 -> Flatten -> Dense(2). SGD(0.1)."),
    chain("depthwise_separable_2d", (6, 6, 2), lambda: [
        layers.DepthwiseConv2D((3, 2), depth_multiplier=2, strides=(1, 2), activation="tanh",
                               name="depthwise"),
        layers.SeparableConv2D(3, 2, padding="same", name="separable"),
        layers.SeparableConv2D(2, (2, 1), strides=2, depth_multiplier=2, name="separable2"),
        layers.Flatten(name="flatten"),
        layers.Dense(2, name="out"),
    ], sgd(), "SGD(0.1)", "DepthwiseConv2D (3,2) multiplier 2 strides (1,2) tanh -> "
       "SeparableConv2D 2x2 same -> SeparableConv2D (2,1) strides 2 multiplier 2 -> Flatten -> "
       "Dense(2). SGD(0.1), mse."),
    chain("pooling1d", (12, 3), lambda: [
        layers.Conv1D(4, 3, activation="tanh", name="conv"),
        layers.MaxPooling1D(2, name="max"),
        layers.AveragePooling1D(3, strides=1, padding="same", name="avg_same"),
        layers.MaxPooling1D(3, strides=2, padding="same", name="max_same"),
        layers.AveragePooling1D(2, name="avg"),
        layers.Conv1D(3, 1, name="mix"),
        layers.GlobalMaxPooling1D(name="gmp"),
        layers.Dense(2, name="out"),
    ], sgd(), "SGD(0.1)", "Conv1D tanh -> MaxPooling1D 2 -> AveragePooling1D 3/1 same -> "
       "MaxPooling1D 3/2 same -> AveragePooling1D 2 -> Conv1D 1 -> GlobalMaxPooling1D -> "
       "Dense(2). SGD(0.1), mse."),
    chain("pooling2d", (8, 7, 2), lambda: [
        layers.Conv2D(3, 3, activation="tanh", name="conv"),
        layers.MaxPooling2D(2, padding="same", name="max_same"),
        layers.AveragePooling2D(2, strides=1, name="avg"),
        layers.AveragePooling2D((2, 1), padding="same", name="avg_same"),
        layers.MaxPooling2D((1, 2), strides=1, name="max"),
        layers.GlobalAveragePooling2D(name="gap"),
        layers.Dense(2, name="out"),
    ], sgd(), "SGD(0.1)", "Conv2D tanh -> MaxPooling2D 2 same -> AveragePooling2D 2/1 -> "
       "AveragePooling2D (2,1) same -> MaxPooling2D (1,2)/1 -> GlobalAveragePooling2D -> "
       "Dense(2). SGD(0.1), mse."),
    chain("pooling3d", (5, 6, 4, 2), lambda: [
        layers.Conv3D(3, 2, activation="tanh", name="conv"),
        layers.MaxPooling3D(2, padding="same", name="max_same"),
        layers.AveragePooling3D((2, 1, 2), strides=1, padding="same", name="avg_same"),
        layers.MaxPooling3D((1, 2, 1), name="max"),
        layers.AveragePooling3D((2, 1, 1), name="avg"),
        layers.GlobalMaxPooling3D(name="gmp"),
        layers.Dense(2, name="out"),
    ], sgd(), "SGD(0.1)", "Conv3D tanh -> MaxPooling3D 2 same -> AveragePooling3D (2,1,2)/1 "
       "same -> MaxPooling3D (1,2,1) -> AveragePooling3D (2,1,1) -> GlobalMaxPooling3D -> "
       "Dense(2). SGD(0.1), mse."),
    chain("resize_pad_crop_1d", (6, 3), lambda: [
        layers.Conv1D(4, 2, activation="tanh", name="conv"),
        layers.UpSampling1D(2, name="up"),
        layers.ZeroPadding1D((1, 2), name="pad"),
        layers.Cropping1D((2, 1), name="crop"),
        layers.Conv1D(3, 3, name="conv2"),
        layers.UpSampling1D(3, name="up3"),
        layers.ZeroPadding1D(1, name="pad1"),
        layers.GlobalAveragePooling1D(name="gap"),
        layers.Dense(2, name="out"),
    ], sgd(), "SGD(0.1)", "Conv1D tanh -> UpSampling1D 2 -> ZeroPadding1D (1,2) -> Cropping1D "
       "(2,1) -> Conv1D -> UpSampling1D 3 -> ZeroPadding1D 1 -> GlobalAveragePooling1D -> "
       "Dense(2). SGD(0.1), mse."),
    chain("resize_pad_crop_2d", (4, 5, 2), lambda: [
        layers.Conv2D(3, 2, padding="same", activation="tanh", name="conv"),
        layers.UpSampling2D((2, 1), name="up"),
        layers.ZeroPadding2D(((1, 0), (2, 1)), name="pad"),
        layers.Cropping2D(((1, 2), (0, 1)), name="crop"),
        layers.UpSampling2D(2, interpolation="bilinear", name="bilinear"),
        layers.Conv2D(2, 3, name="conv2"),
        layers.GlobalMaxPooling2D(name="gmp"),
        layers.Dense(2, name="out"),
    ], sgd(), "SGD(0.1)", "Conv2D same tanh -> UpSampling2D (2,1) -> ZeroPadding2D "
       "((1,0),(2,1)) -> Cropping2D ((1,2),(0,1)) -> UpSampling2D 2 bilinear -> Conv2D -> "
       "GlobalMaxPooling2D -> Dense(2). SGD(0.1), mse."),
    chain("conv_lstm3d", (3, 3, 4, 3, 2), lambda: [
        layers.ConvLSTM3D(2, 2, padding="same", return_sequences=True, name="clstm_seq"),
        layers.ConvLSTM3D(3, (1, 2, 2), strides=(1, 2, 1), go_backwards=True, name="clstm"),
        layers.Flatten(name="flatten"),
        layers.Dense(2, name="out"),
    ], sgd(), "SGD(0.1)", "ConvLSTM3D 2x2x2 same return_sequences -> ConvLSTM3D (1,2,2) strides "
       "(1,2,1) go_backwards -> Flatten -> Dense(2). SGD(0.1), mse."),
    chain("conv_lstm_weight_losses", (3, 4, 3, 2), lambda: [
        layers.ConvLSTM2D(2, 2, padding="same", return_sequences=True,
                          kernel_regularizer=keras.regularizers.L2(0.05),
                          recurrent_regularizer=keras.regularizers.L1(0.02),
                          bias_regularizer=keras.regularizers.L1L2(l1=0.01, l2=0.03),
                          kernel_constraint=keras.constraints.MaxNorm(0.9),
                          recurrent_constraint=keras.constraints.UnitNorm(axis=[0, 1, 2]),
                          bias_constraint="non_neg", name="clstm_seq"),
        layers.ConvLSTM2D(2, (1, 2), strides=(1, 2), use_bias=False,
                          kernel_regularizer=keras.regularizers.L1L2(l1=0.01, l2=0.01),
                          kernel_constraint=keras.constraints.MinMaxNorm(0.2, 0.7, rate=0.5, axis=[0, 1, 2]),
                          name="clstm"),
        layers.Flatten(name="flatten"),
        layers.Dense(2, name="out"),
    ], sgd(0.1, 0.9), "SGD(0.1, momentum=0.9)",
       "ConvLSTM2D 2x2 same return_sequences (kernel L2(0.05) + MaxNorm(0.9), recurrent L1(0.02) + "
       "UnitNorm(axis=[0,1,2]), bias L1L2(0.01, 0.03) + non_neg) -> ConvLSTM2D (1,2) strides (1,2) "
       "no bias (kernel L1L2(0.01, 0.01) + MinMaxNorm(0.2, 0.7, rate 0.5, axis=[0,1,2])) -> Flatten -> "
       "Dense(2). SGD(0.1, momentum 0.9), mse: the weight penalties join the loss, the constraints "
       "project after each step."),
    chain("constraints", (6, 3), lambda: [
        layers.Conv1D(4, 2, kernel_constraint=keras.constraints.UnitNorm(axis=[0, 1]),
                      bias_constraint="non_neg", name="conv"),
        layers.PReLU(alpha_constraint="non_neg", shared_axes=[1], name="prelu"),
        layers.LSTM(3, return_sequences=True, recurrent_constraint=keras.constraints.MaxNorm(0.8),
                    name="lstm"),
        layers.Flatten(name="flatten"),
        layers.Dense(4, activation="tanh", kernel_constraint=keras.constraints.MaxNorm(0.5),
                     bias_constraint=keras.constraints.MinMaxNorm(0.1, 0.3, rate=0.5), name="d1"),
        layers.Dense(2, kernel_constraint=keras.constraints.MinMaxNorm(0.2, 0.6, axis=1),
                     name="out"),
    ], sgd(0.1, 0.9), "SGD(0.1, momentum=0.9)",
       "Conv1D (kernel UnitNorm(axis=[0, 1]), bias non_neg) -> PReLU(alpha non_neg, shared "
       "axes [1]) -> LSTM(recurrent MaxNorm(0.8)) -> Flatten -> Dense(tanh, kernel MaxNorm(0.5), "
       "bias MinMaxNorm(0.1, 0.3, rate 0.5)) -> Dense(kernel MinMaxNorm(0.2, 0.6, axis=1)). "
       "SGD(0.1, momentum 0.9), mse: every constraint is applied after each step."),
    chain("activation_layers", (5,), lambda: [
        layers.Dense(6, name="d1"),
        layers.LeakyReLU(negative_slope=0.2, name="leaky"),
        layers.Dense(6, name="d2"),
        layers.PReLU(name="prelu"),
        layers.Dense(6, name="d3"),
        layers.ELU(alpha=0.7, name="elu"),
        layers.Dense(6, name="d4"),
        layers.ReLU(max_value=1.0, negative_slope=0.1, threshold=0.2, name="relu"),
        layers.Dense(4, name="d5"),
        layers.ReLU(name="relu_plain"),
        layers.Dense(3, name="d6"),
        layers.Softmax(name="softmax"),
    ], sgd(0.5), "SGD(0.5)", "Dense chain with LeakyReLU(0.2), PReLU, ELU(0.7), "
       "ReLU(max_value 1, negative_slope 0.1, threshold 0.2), ReLU(), Softmax. SGD(0.5), mse.",
       batch=8),
    chain("activation_layers_seq", (6, 3), lambda: [
        layers.Conv1D(4, 2, name="conv"),
        layers.PReLU(shared_axes=[1], name="prelu_shared"),
        # no bias: a per-channel bias before a softmax over time cancels out, so its gradient is
        # rounding noise that Adam's first step (~lr * g / |g|) would blow up to any value.
        layers.Conv1D(4, 1, use_bias=False, name="conv2"),
        layers.Softmax(axis=1, name="softmax_time"),
        layers.Conv1D(3, 2, name="conv3"),
        layers.ELU(name="elu"),
        layers.LeakyReLU(name="leaky"),
        layers.Flatten(name="flatten"),
        layers.Dense(2, name="out"),
    ], lambda: keras.optimizers.Adam(0.01), "Adam(0.01)",
       "Conv1D -> PReLU(shared_axes=[1]) -> Conv1D 1 no bias -> Softmax(axis=1) -> Conv1D -> ELU -> "
       "LeakyReLU -> Flatten -> Dense(2). Adam(0.01), mse."),
]

def loss_case(name, loss, activation, targets, description):
    """Input (5,) -> Dense(4, tanh) -> Dense(3, activation), Adam(0.01), the given string loss (#13)."""
    def build():
        inp = keras.Input((5,), name="x")
        h = layers.Dense(4, activation="tanh", name="hidden")(inp)
        out = layers.Dense(3, activation=activation, name="out")(h)
        model = keras.Model(inp, out, name=name)
        compile_args = dict(optimizer=keras.optimizers.Adam(learning_rate=0.01), loss=loss)
        compile_json = dict(optimizer_repr="Adam(learning_rate=0.01)", loss=loss, loss_weights=None,
                            metrics=None)
        rs = np.random.RandomState(seed_of(name))
        x = [normal(rs, 8, 5)]
        y = [targets(rs)]
        return dict(model=model, compile=compile_args, compile_json=compile_json, x=x, y=y,
                    description=description)
    return name, build


LOSS_CASES = [
    loss_case("loss_hinge", "hinge", None,
              lambda rs: np.where(rs.normal(size=(8, 3)) > 0, 1.0, 0.0).astype(np.float32),
              "Input (5,) -> Dense(4, tanh) -> Dense(3). Adam(0.01), hinge with 0/1 targets "
              "(mapped to -1/1)."),
    loss_case("loss_kl_divergence", "kl_divergence", "softmax",
              lambda rs: (lambda a: (a / a.sum(-1, keepdims=True)).astype(np.float32))(
                  rs.uniform(0.05, 1.0, size=(8, 3))),
              "Input (5,) -> Dense(4, tanh) -> Dense(3, softmax). Adam(0.01), kl_divergence "
              "against soft target distributions."),
    loss_case("loss_dice", "dice", "sigmoid",
              lambda rs: (rs.uniform(size=(8, 3)) > 0.5).astype(np.float32),
              "Input (5,) -> Dense(4, tanh) -> Dense(3, sigmoid). Adam(0.01), dice over all axes "
              "(one number per batch)."),
]

CASES = CASES + LAYER_CASES + LOSS_CASES


# ----------------------------------------------------------------------------- helpers

def summary_text(model):
    lines = []
    model.summary(print_fn=lambda text, line_break=False: lines.append(text))
    text = "".join(lines)
    return text if text.endswith("\n") else text + "\n"


def to_jsonable(o):
    if isinstance(o, dict):
        return {str(k): to_jsonable(v) for k, v in o.items()}
    if isinstance(o, (list, tuple)):
        return [to_jsonable(v) for v in o]
    if isinstance(o, (np.floating,)):
        return float(o)
    if isinstance(o, (np.integer,)):
        return int(o)
    if isinstance(o, np.ndarray):
        return o.tolist()
    return o


def layer_of_variable(model, v):
    for layer in model.layers:
        for w in layer.weights:
            if w is v:
                return layer.name
    return None


def save_weights(model, d, tag):
    for k, v in enumerate(model.weights):
        np.save(os.path.join(d, f"w_{tag}_{k}.npy"), np.asarray(v.numpy(), dtype=np.float32))


def numpy_loss(name, y, p):
    if name == "mse":
        return float(np.mean(np.mean((p.astype(np.float64) - y) ** 2, axis=-1)))
    if name == "categorical_crossentropy":
        q = np.clip(p.astype(np.float64) / p.sum(-1, keepdims=True), 1e-7, 1 - 1e-7)
        return float(np.mean(-np.sum(y * np.log(q), axis=-1)))
    if name == "hinge":
        t = y.astype(np.float64)
        t = 2 * t - 1 if np.all((t == 0) | (t == 1)) else t
        return float(np.mean(np.mean(np.maximum(1 - t * p, 0), axis=-1)))
    if name == "kl_divergence":
        t = np.clip(y.astype(np.float64), 1e-7, 1)
        q = np.clip(p.astype(np.float64), 1e-7, 1)
        return float(np.mean(np.sum(t * np.log(t / q), axis=-1)))
    if name == "dice":
        t = y.astype(np.float64)
        return float(1 - 2 * np.sum(t * p) / (np.sum(t) + np.sum(p) + 1e-7))
    raise ValueError(name)


def flat_names(model, logs):
    """Key order of train_on_batch(return_dict=False), as Trainer._flatten_metrics_in_order."""
    tagged = {k: k for k in logs}
    out = model._flatten_metrics_in_order(tagged)
    return [out] if isinstance(out, str) else list(out)


def write_json(path, obj):
    with open(path, "w") as f:
        json.dump(to_jsonable(obj), f, indent=1)
        f.write("\n")


def run_case(name, build, out_root):
    keras.backend.clear_session()
    keras.utils.set_random_seed(seed_of(name))
    spec = build()
    model, x, y = spec["model"], spec["x"], spec["y"]
    d = os.path.join(out_root, name)
    os.makedirs(d, exist_ok=True)

    overwrite_weights(model)
    model.compile(**spec["compile"])
    opt = model.optimizer

    # model config (to_json) and the .keras file, both holding the initial weights.
    with open(os.path.join(d, "config.json"), "w") as f:
        f.write(json.dumps(json.loads(model.to_json()), indent=1))
        f.write("\n")
    if spec.get("save_keras", True):
        model.save(os.path.join(d, "model.keras"))

    with open(os.path.join(d, "summary.txt"), "w") as f:
        f.write(summary_text(model))

    output_names = list(model.output_names)
    cj = dict(spec["compile_json"])
    cj["optimizer"] = {"class_name": type(opt).__name__, "config": opt.get_config()}
    cj["output_names"] = output_names
    write_json(os.path.join(d, "compile.json"), cj)

    for i, xi in enumerate(x):
        np.save(os.path.join(d, f"x{i}.npy"), xi)
    for j, yj in enumerate(y):
        np.save(os.path.join(d, f"y{j}.npy"), yj)

    # weights listing (model.weights order) + initial values
    winfo = []
    for k, v in enumerate(model.weights):
        winfo.append(dict(index=k, path=v.path, name=v.name, shape=list(v.shape),
                          layer=layer_of_variable(model, v), trainable=bool(v.trainable),
                          init_file=f"w_init_{k}.npy", step1_file=f"w_step1_{k}.npy",
                          step2_file=f"w_step2_{k}.npy"))
    write_json(os.path.join(d, "weights.json"), winfo)
    save_weights(model, d, "init")

    xin = x if len(x) > 1 else x[0]
    preds = model.predict(xin, batch_size=len(x[0]), verbose=0)
    if not isinstance(preds, (list, tuple)):
        preds = [preds]
    for j, pj in enumerate(preds):
        np.save(os.path.join(d, f"p0_{j}.npy"), np.asarray(pj, np.float32))

    # Keras reloads its own .keras file with the same predictions.
    if spec.get("save_keras", True):
        reloaded = keras.saving.load_model(os.path.join(d, "model.keras"), compile=False)
        rp = reloaded.predict(xin, batch_size=len(x[0]), verbose=0)
        rp = rp if isinstance(rp, (list, tuple)) else [rp]
        for a, b in zip(preds, rp):
            assert np.allclose(a, b, atol=1e-6), "reloaded .keras differs"

    if spec.get("y_as_dict"):
        yin = {n: yj for n, yj in zip(output_names, y)}
    else:
        yin = y if len(y) > 1 else y[0]

    activity0 = activity_losses(model, xin) + weight_losses(model)   # before training changes the weights
    if spec.get("added_losses"):
        # losses of layers called inside layers, which activity_losses does not see: Keras's own sum
        model(xin, training=False)
        assert len(model.losses) == spec["added_losses"], len(model.losses)
        activity0 = float(sum(float(v) for v in model.losses))
    evaluate0 = None
    if spec.get("evaluate"):
        evaluate0 = model.evaluate(xin, yin, batch_size=len(x[0]), verbose=0, return_dict=True)

    log1 = model.train_on_batch(xin, yin, return_dict=True)
    save_weights(model, d, "step1")
    log2 = model.train_on_batch(xin, yin, return_dict=True)
    save_weights(model, d, "step2")
    logs = {"step1": {k: float(v) for k, v in log1.items()},
            "step2": {k: float(v) for k, v in log2.items()},
            # Keras returns the dict with sorted keys; these are the names in the order
            # train_on_batch(..., return_dict=False) lists the values.
            "metrics_names": list(model.metrics_names),
            "list_order": flat_names(model, log2)}
    if evaluate0 is not None:
        logs["evaluate0"] = {k: float(v) for k, v in evaluate0.items()}
    write_json(os.path.join(d, "logs.json"), logs)

    # sanity: the step-1 loss is the loss of the pre-training predictions (numpy, float64)
    loss = spec["compile"]["loss"]
    lw = spec["compile"].get("loss_weights") or {}
    total = 0.0
    for j, n in enumerate(output_names):
        ln = loss[n] if isinstance(loss, dict) else loss
        total += lw.get(n, 1.0) * numpy_loss(ln, y[j], preds[j])
    total += activity0
    assert abs(total - logs["step1"]["loss"]) < 1e-5 * max(1.0, abs(total)), (total, logs)

    return dict(name=name, description=spec["description"],
                inputs=[dict(name=t.name, file=f"x{i}.npy", shape=list(x[i].shape))
                        for i, t in enumerate(model.inputs)],
                outputs=[dict(name=n, target=f"y{j}.npy", predict=f"p0_{j}.npy",
                              shape=list(preds[j].shape)) for j, n in enumerate(output_names)],
                optimizer=type(opt).__name__, weights=len(winfo),
                count_params=int(model.count_params()), logs=logs)


def main():
    """OUT_DIR [CASE ...]: with case names (or ONLY=name,name), only those are (re)made and their
    index.json entries replaced, so adding a case leaves the committed files of the others untouched
    (TensorFlow's oneDNN kernels may change the last float bits from one machine to another)."""
    out_root = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else DEFAULT_OUT)
    only = set(sys.argv[2:]) | {n for n in os.environ.get("ONLY", "").split(",") if n}
    unknown = only - {n for n, _ in CASES}
    if unknown:
        raise SystemExit(f"unknown case(s) {sorted(unknown)}; known: {[n for n, _ in CASES]}")
    os.makedirs(out_root, exist_ok=True)
    index_path = os.path.join(out_root, "index.json")
    old = {}
    if only and os.path.exists(index_path):
        with open(index_path) as f:
            old = {c["name"]: c for c in json.load(f)["cases"]}
    index = dict(keras_version=keras.__version__, backend=keras.backend.backend(),
                 tensorflow_version=tf.__version__, numpy_version=np.__version__,
                 weight_rule="RandomState(crc32(variable.path)).normal(shape) * 0.4",
                 cases=[])
    for name, build in CASES:
        if only and name not in only:
            if name in old:
                index["cases"].append(old[name])
            continue
        index["cases"].append(run_case(name, build, out_root))
        print(name, json.dumps(index["cases"][-1]["logs"]))
    write_json(index_path, index)


if __name__ == "__main__":
    main()
