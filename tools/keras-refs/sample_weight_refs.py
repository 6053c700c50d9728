"""Keras 3 references for fit/evaluate with sample_weight and class_weight (rnn4j's SampleWeightFitTest).

Run with the offline peers venv:  PY=$(/work/shared/bench/setup-peers.sh); $PY sample_weight_refs.py
Prints, per case, history.history and evaluate() results; the Java test holds the numbers.
Weights: variable i (model.weights order) := 0.3 * sin(0.37 * arange(size) + i), reshaped.
Data: x = sin(0.37 * arange) reshaped; targets as below. No shuffling.
"""
import os

os.environ.setdefault("KERAS_BACKEND", "tensorflow")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np
import keras
from keras import layers


def set_weights(model):
    for i, v in enumerate(model.weights):
        n = int(np.prod(v.shape))
        v.assign((0.3 * np.sin(0.37 * np.arange(n) + i)).reshape(v.shape).astype(np.float32))


def data(*shape, phase=0.0, step=0.37):
    n = int(np.prod(shape))
    return np.sin(step * np.arange(n) + phase).reshape(shape).astype(np.float32)


def show(name, h, e):
    print("case", name)
    for k, v in h.history.items():
        print(" ", k, " ".join(repr(float(t)) for t in v))
    print("  evaluate", " ".join(f"{k}={float(v)!r}" for k, v in e.items()))


n = 24
x = data(n, 3)
labels = (np.arange(n) * 7 % 3).astype(np.float32)

# A: class_weight, sparse categorical crossentropy, validation_split
m = keras.Sequential([keras.Input((3,)), layers.Dense(4, activation="tanh"), layers.Dense(3, activation="softmax")])
set_weights(m)
m.compile(keras.optimizers.Adam(0.01), "sparse_categorical_crossentropy", metrics=["accuracy"])
h = m.fit(x, labels, epochs=2, batch_size=8, shuffle=False, validation_split=0.25,
          class_weight={0: 1.0, 1: 2.5, 2: 0.5}, verbose=0)
e = m.evaluate(x, labels, batch_size=8, verbose=0, return_dict=True)
show("class_weight", h, e)

# B: per-sample weights, mse, validation_split (the weights are split with the data)
y = data(n, 2, phase=1.0, step=0.21)
sw = (0.5 + (np.arange(n) % 4) * 0.5).astype(np.float32)
m = keras.Sequential([keras.Input((3,)), layers.Dense(4, activation="tanh"), layers.Dense(2)])
set_weights(m)
m.compile(keras.optimizers.Adam(0.01), "mse", metrics=["mae"])
h = m.fit(x, y, epochs=2, batch_size=8, shuffle=False, validation_split=0.25, sample_weight=sw, verbose=0)
e = m.evaluate(x, y, batch_size=8, verbose=0, return_dict=True, sample_weight=sw)
show("sample_weight", h, e)

# C: temporal weights (samples, timesteps) on a sequence output
T = 5
xs = data(n, T, 2, phase=0.3)
ys = data(n, T, 2, phase=2.0, step=0.13)
tw = ((np.arange(n * T) % 3) * 0.75).reshape(n, T).astype(np.float32)
m = keras.Sequential([keras.Input((T, 2)), layers.LSTM(3, return_sequences=True), layers.Dense(2)])
set_weights(m)
m.compile(keras.optimizers.Adam(0.01), "mse")
h = m.fit(xs, ys, epochs=2, batch_size=8, shuffle=False, sample_weight=tw, verbose=0)
e = m.evaluate(xs, ys, batch_size=8, verbose=0, return_dict=True, sample_weight=tw)
show("temporal", h, e)
