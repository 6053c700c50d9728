"""ConvLSTM2D with initial states as inputs (#13): a real Keras 3 seq2seq file for rnn4j-keras's ConvLSTMStatesFileTest.

Run with the offline peers venv:  PY=$(/work/shared/bench/setup-peers.sh); $PY conv_lstm_states_refs.py [OUT]
OUT defaults to rnn4j-keras/src/test/resources/conv-lstm-states. It writes OUT/seq2seq/model.keras: an
encoder ConvLSTM2D(return_state=True) whose h and c are the initial_state of a decoder ConvLSTM2D
(return_sequences and return_state too), every weight N(0, 0.3); x0.npy, x1.npy (inputs) and y0.npy...
(Keras's predictions of the three outputs: decoder sequence, h, c).
"""
import os
import shutil
import sys

os.environ.setdefault("KERAS_BACKEND", "tensorflow")
os.environ.setdefault("CUDA_VISIBLE_DEVICES", "")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np
import keras
from keras import layers

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
OUT = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "rnn4j-keras", "src", "test", "resources",
                                                          "conv-lstm-states")
rng = np.random.default_rng(2026120713)


def main():
    enc_in = keras.Input((3, 5, 5, 2), name="frames_in")
    dec_in = keras.Input((2, 4, 4, 1), name="frames_out")
    # valid 2x2 on 5x5 and same 3x3 on 4x4: both states are (4, 4, 3)
    _, h, c = layers.ConvLSTM2D(3, 2, return_state=True, name="encoder")(enc_in)
    seq, h2, c2 = layers.ConvLSTM2D(3, 3, padding="same", return_sequences=True, return_state=True,
                                    name="decoder")(dec_in, initial_state=[h, c])
    model = keras.Model([enc_in, dec_in], [seq, h2, c2], name="conv_lstm_seq2seq")
    for v in model.weights:
        v.assign((rng.normal(size=v.shape) * 0.3).astype(v.dtype))
    xs = [rng.normal(size=(2, 3, 5, 5, 2)).astype(np.float32), rng.normal(size=(2, 2, 4, 4, 1)).astype(np.float32)]
    ys = model.predict(xs, verbose=0)
    d = os.path.join(OUT, "seq2seq")
    shutil.rmtree(d, ignore_errors=True)
    os.makedirs(d)
    model.save(os.path.join(d, "model.keras"))
    for i, x in enumerate(xs):
        np.save(os.path.join(d, f"x{i}.npy"), x)
    for i, y in enumerate(ys):
        np.save(os.path.join(d, f"y{i}.npy"), np.asarray(y, dtype=np.float32))
    print("wrote", d)


main()
