"""Keras 3 references for ConvLSTM dropout with given masks (#13).

Run from the repository root with the offline peers venv:
    PY=$(/work/shared/bench/setup-peers.sh); $PY tools/keras-refs/conv_lstm_dropout_refs.py [OUT]
OUT defaults to rnn4j-core/src/test/resources/conv-lstm-dropout (read by ConvLSTMDropoutTest).

Keras draws ConvLSTM's dropout masks at random per call (four per side: one per gate i, f, c, o,
its dropout_mask_count), so no seed makes its numbers reproducible elsewhere. Its RNN layer uses
the masks the cell has cached (DropoutRNNCell.get_dropout_mask returns the cached ones), so this
script sets the cell's _dropout_mask / _recurrent_dropout_mask to masks drawn here with NumPy and
records Keras's training forward and its gradients with exactly those masks. Per case it writes
x.npy, the weights w<k>.npy (layer.weights order), masks in<g>.npy / rec<g>.npy (g = 0..3, shaped
like one step's input / state), r.npy (the output cotangent), y.npy (training output with the
masks), dx.npy and dw<k>.npy (gradients of sum(y * r)), and yinf.npy (inference output).
"""
import json
import os
import sys

os.environ.setdefault("KERAS_BACKEND", "tensorflow")
os.environ.setdefault("CUDA_VISIBLE_DEVICES", "")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402
import keras  # noqa: E402
from keras import layers  # noqa: E402

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
OUT = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "rnn4j-core", "src", "test", "resources",
                                                          "conv-lstm-dropout")
rng = np.random.default_rng(20261213)

CASES = {
    # name: (layer factory, input shape without batch)
    "conv2d_both": (lambda: layers.ConvLSTM2D(2, 2, padding="same", return_sequences=True, dropout=0.3,
                                              recurrent_dropout=0.4), (3, 3, 4, 2)),
    "conv1d_recurrent_only": (lambda: layers.ConvLSTM1D(3, 2, strides=2, recurrent_dropout=0.5,
                                                        go_backwards=True), (4, 5, 2)),
    "conv3d_input_only": (lambda: layers.ConvLSTM3D(2, (1, 2, 2), padding="same", dropout=0.25,
                                                    return_sequences=True, use_bias=False), (2, 2, 3, 2, 1)),
}


def mask(shape, rate):
    keep = rng.uniform(size=shape) >= rate
    return (keep / (1.0 - rate)).astype(np.float32)


def main():
    for name, (make, shape) in CASES.items():
        d = os.path.join(OUT, name)
        os.makedirs(d, exist_ok=True)
        batch = 2
        layer = make()
        x = rng.normal(size=(batch,) + shape).astype(np.float32)
        layer.build((batch,) + shape)
        for k, v in enumerate(layer.weights):
            v.assign((rng.normal(size=tuple(v.shape)) * 0.5).astype(np.float32))
            np.save(os.path.join(d, f"w{k}.npy"), np.asarray(v.numpy(), np.float32))
        cell = layer.cell
        step_in = (batch,) + shape[1:]
        state = (batch,) + tuple(layer.compute_output_shape((batch,) + shape)[2 if layer.return_sequences else 1:])
        ins = [mask(step_in, cell.dropout) for _ in range(4)] if cell.dropout > 0 else None
        recs = [mask(state, cell.recurrent_dropout) for _ in range(4)] if cell.recurrent_dropout > 0 else None
        for g in range(4):
            if ins:
                np.save(os.path.join(d, f"in{g}.npy"), ins[g])
            if recs:
                np.save(os.path.join(d, f"rec{g}.npy"), recs[g])
        y_inf = layer(x, training=False).numpy()
        xt = tf.constant(x)
        with tf.GradientTape() as tape:
            tape.watch(xt)
            cell._dropout_mask = [tf.constant(m) for m in ins] if ins else None
            cell._recurrent_dropout_mask = [tf.constant(m) for m in recs] if recs else None
            y = layer(xt, training=True)
            r = rng.normal(size=tuple(y.shape)).astype(np.float32)
            loss = tf.reduce_sum(y * r)
        grads = tape.gradient(loss, [xt] + [v.value for v in layer.weights])
        assert cell._dropout_mask is None and cell._recurrent_dropout_mask is None, "Keras resets its masks per call"
        assert np.abs(y.numpy() - y_inf).max() > 1e-3, "the masks change the training output"
        np.save(os.path.join(d, "x.npy"), x)
        np.save(os.path.join(d, "r.npy"), r)
        np.save(os.path.join(d, "y.npy"), y.numpy().astype(np.float32))
        np.save(os.path.join(d, "yinf.npy"), y_inf.astype(np.float32))
        np.save(os.path.join(d, "dx.npy"), grads[0].numpy().astype(np.float32))
        for k, gk in enumerate(grads[1:]):
            np.save(os.path.join(d, f"dw{k}.npy"), gk.numpy().astype(np.float32))
        with open(os.path.join(d, "config.json"), "w") as f:
            json.dump({"class_name": type(layer).__name__, "config": layer.get_config()}, f, indent=1)
            f.write("\n")
        print(name, "y", y.shape, "masks", bool(ins), bool(recs))


main()
