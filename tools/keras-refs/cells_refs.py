#!/usr/bin/env python3
"""Keras 3 references for RNN(cell), StackedRNNCells and stateful RNNs (issue #13).

Run from the repository root (the output is committed; tests never run Python):

    PY=$(/work/shared/bench/setup-peers.sh)
    KERAS_BACKEND=tensorflow CUDA_VISIBLE_DEVICES= $PY tools/keras-refs/cells_refs.py

Writes rnn4j-keras/src/test/resources/org/rnn4j/keras/cells/<case>/: model.keras (initial
weights), x.npy, y.npy, p0.npy (predict before training), loss_<step>.txt and w_step<k>_<i>.npy
(weights after each train_on_batch step, model.weights order) and, for the stateful case,
p_batch1.npy, p_batch2.npy (consecutive predict calls) and p_reset.npy (after reset_states).
Weights are overwritten with RandomState(crc32(variable.path)).normal * 0.4, inputs N(0,1).
"""
import os
import sys
import zlib

os.environ.setdefault("KERAS_BACKEND", "tensorflow")
os.environ.setdefault("CUDA_VISIBLE_DEVICES", "")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402
import keras  # noqa: E402
from keras import layers  # noqa: E402

tf.config.experimental.enable_op_determinism()
ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
OUT = os.path.join(ROOT, "rnn4j-keras", "src", "test", "resources", "org", "rnn4j", "keras", "cells")


def seed_of(text):
    return zlib.crc32(text.encode("utf-8")) & 0xFFFFFFFF


def overwrite(model):
    for v in model.weights:
        rs = np.random.RandomState(seed_of(v.path))
        v.assign((rs.normal(size=tuple(v.shape)) * 0.4).astype(np.float32))


def normal(rs, *shape):
    return rs.normal(size=shape).astype(np.float32)


def stacked():
    inp = keras.Input((6, 3))
    cells = [layers.LSTMCell(4), layers.GRUCell(3)]
    h = layers.RNN(layers.StackedRNNCells(cells), return_sequences=True)(inp)
    h = layers.RNN(layers.SimpleRNNCell(2), go_backwards=True)(h)
    out = layers.Dense(2)(h)
    return keras.Model(inp, out), (8, 6, 3), (8, 2)


def stacked_list():
    # RNN([cell, cell]) (a plain list: Keras wraps it in StackedRNNCells) with reset_after=False.
    inp = keras.Input((5, 3))
    h = layers.RNN([layers.GRUCell(3, reset_after=False), layers.LSTMCell(2)], return_sequences=False)(inp)
    out = layers.Dense(1)(h)
    return keras.Model(inp, out), (4, 5, 3), (4, 1)


def stateful():
    inp = keras.Input(batch_shape=(2, 4, 3))
    h = layers.LSTM(3, stateful=True, return_sequences=True)(inp)
    h = layers.RNN(layers.StackedRNNCells([layers.GRUCell(2), layers.SimpleRNNCell(2)]), stateful=True)(h)
    out = layers.Dense(2)(h)
    return keras.Model(inp, out), (2, 4, 3), (2, 2)


def conv_lstm():
    inp = keras.Input((3, 5, 5, 2))
    h = layers.ConvLSTM2D(3, (3, 3), padding="same", return_sequences=True)(inp)
    h = layers.ConvLSTM2D(2, (2, 2), strides=(2, 1), go_backwards=True)(h)
    h = layers.Flatten()(h)
    out = layers.Dense(1)(h)
    return keras.Model(inp, out), (4, 3, 5, 5, 2), (4, 1)


def conv_lstm1d():
    inp = keras.Input((4, 6, 2))
    h = layers.ConvLSTM1D(3, 3, dilation_rate=2, padding="same", unit_forget_bias=False)(inp)
    h = layers.Flatten()(h)
    out = layers.Dense(2)(h)
    return keras.Model(inp, out), (3, 4, 6, 2), (3, 2)


def reset(model):
    # Keras 3 models have no reset_states(): reset every stateful layer.
    for layer in model.layers:
        if getattr(layer, "stateful", False):
            # layer.reset_state() fails on nested (StackedRNNCells) states in Keras 3.15: zero each one.
            for v in keras.tree.flatten(layer.states):
                v.assign(np.zeros(tuple(v.shape), np.float32))


def run(name, build, train=True):
    keras.backend.clear_session()
    keras.utils.set_random_seed(seed_of(name))
    model, xs, ys = build()
    overwrite(model)
    d = os.path.join(OUT, name)
    os.makedirs(d, exist_ok=True)
    rs = np.random.RandomState(seed_of(name + "/data"))
    x = normal(rs, *xs)
    y = normal(rs, *ys)
    np.save(os.path.join(d, "x.npy"), x)
    np.save(os.path.join(d, "y.npy"), y)
    model.compile(optimizer=keras.optimizers.Adam(learning_rate=0.01), loss="mse")
    model.save(os.path.join(d, "model.keras"))
    if name == "stateful":
        x2 = normal(rs, *xs)
        np.save(os.path.join(d, "x2.npy"), x2)
        np.save(os.path.join(d, "p_batch1.npy"), model.predict(x, batch_size=2, verbose=0))
        np.save(os.path.join(d, "p_batch2.npy"), model.predict(x2, batch_size=2, verbose=0))
        reset(model)
        np.save(os.path.join(d, "p_reset.npy"), model.predict(x2, batch_size=2, verbose=0))
        reset(model)
    else:
        np.save(os.path.join(d, "p0.npy"), model.predict(x, verbose=0))
    if train:
        for step in (1, 2):
            loss = model.train_on_batch(x, y)
            with open(os.path.join(d, f"loss_{step}.txt"), "w") as f:
                f.write(repr(float(loss)) + "\n")
            for i, v in enumerate(model.weights):
                np.save(os.path.join(d, f"w_step{step}_{i}.npy"), np.asarray(v.numpy(), np.float32))
    print(name, [v.path for v in model.weights])


CORE_OUT = os.path.join(ROOT, "rnn4j-core", "src", "test", "resources", "cells-refs")


def core_cases():
    """name -> (rnn layer, x shape, number of initial states, use mask)."""
    return {
        "stacked_lstm_gru_back": (lambda: layers.RNN(layers.StackedRNNCells(
            [layers.LSTMCell(3), layers.GRUCell(2, reset_after=False)]), return_sequences=True,
            go_backwards=True, return_state=True), (2, 4, 3), [[3, 3], [2]], True),
        "simple_relu_zero": (lambda: layers.RNN(layers.SimpleRNNCell(3, activation="relu"),
            return_sequences=True, zero_output_for_mask=True, return_state=True), (3, 5, 2), [3], True),
        "gru_lstm_plain": (lambda: layers.RNN([layers.GRUCell(2), layers.LSTMCell(2, unit_forget_bias=False)]),
            (2, 3, 4), [], False),
    }


def write_line(f, name, a):
    a = np.asarray(a, np.float32)
    f.write(name + " " + ",".join(str(d) for d in a.shape) + " " + " ".join(repr(float(v)) for v in a.ravel())
            + "\n")


def core_refs():
    """Small text refs: weights, inputs, mask, outputs, final states and the gradients of
    sum(output * r) + sum(state_k * r_k) for the weights, the input and the initial states."""
    os.makedirs(CORE_OUT, exist_ok=True)
    for name, (make, xs, states, use_mask) in core_cases().items():
        keras.backend.clear_session()
        rnn = make()
        rs = np.random.RandomState(seed_of(name))
        x = normal(rs, *xs)
        # a stack takes its initial states nested per cell; the refs list them flat
        nested = [[normal(rs, xs[0], n) for n in g] if isinstance(g, list) else normal(rs, xs[0], g)
                  for g in states]
        init = tf.nest.flatten(nested)
        mask = rs.rand(xs[0], xs[1]) < 0.7 if use_mask else None
        if mask is not None:
            mask[:, 0] = True
            mask[0, 1] = False
        out = rnn(x, initial_state=nested if init else None, mask=mask)
        overwrite_layer(rnn)
        tx = tf.constant(x)
        ti = [tf.constant(s) for s in init]
        tn = tf.nest.pack_sequence_as(nested, ti)
        with tf.GradientTape(persistent=True) as tape:
            tape.watch(tx)
            for s in ti:
                tape.watch(s)
            out = rnn(tx, initial_state=tn if ti else None, mask=mask)
            outs = list(out) if isinstance(out, (list, tuple)) else [out]
            flat = []
            for o in outs:
                flat.extend(tf.nest.flatten(o))
            rr = [normal(rs, *o.shape) for o in flat]
            loss = sum(tf.reduce_sum(o * r) for o, r in zip(flat, rr))
        grads = tape.gradient(loss, [v.value for v in rnn.weights] + [tx] + ti)
        with open(os.path.join(CORE_OUT, name + ".txt"), "w") as f:
            f.write("# " + name + ": Keras " + keras.__version__ + ", tools/keras-refs/cells_refs.py\n")
            write_line(f, "x", x)
            for s in init:
                write_line(f, "init", s)
            if mask is not None:
                write_line(f, "mask", mask.astype(np.float32))
            for v in rnn.weights:
                write_line(f, "weight", v.numpy())
            for o, r in zip(flat, rr):
                write_line(f, "out", o.numpy())
                write_line(f, "r", r)
            for g in grads:
                write_line(f, "grad", g.numpy())


def overwrite_layer(layer):
    for v in layer.weights:
        rs = np.random.RandomState(seed_of(v.path))
        v.assign((rs.normal(size=tuple(v.shape)) * 0.4).astype(np.float32))


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "core":
        core_refs()
        sys.exit(0)
    run("stacked", stacked)
    run("stacked_list", stacked_list)
    run("stateful", stateful)
    run("conv_lstm2d", conv_lstm)
    run("conv_lstm1d", conv_lstm1d)
