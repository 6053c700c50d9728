#!/usr/bin/env python3
"""Rebuild keras-io example models at small sizes with random weights (issue #16).

Writes, per model, into rnn4j-keras/src/test/resources/keras-io/<name>/: model.keras,
model.h5 (when Keras reloads it), x<i>.npy per input, y<j>.npy per output and meta.json
(input names, output names, source example). Run with the peer venv:
    PY=$(/work/shared/bench/setup-peers.sh); $PY tools/keras-refs/keras_io_models.py
Work in progress: only part of the #16 list is written so far (see MODELS).
"""
import json
import os
import sys

os.environ.setdefault("KERAS_BACKEND", "tensorflow")
os.environ.setdefault("CUDA_VISIBLE_DEVICES", "")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np
import keras
from keras import layers

OUT = os.path.join(os.path.dirname(__file__), "..", "..", "rnn4j-keras", "src", "test",
                   "resources", "keras-io")


def fcn_classifier():
    # timeseries/timeseries_classification_from_scratch.py make_model, 3 conv blocks + GAP.
    inp = keras.layers.Input((20, 1))
    x = inp
    for _ in range(3):
        x = layers.Conv1D(filters=8, kernel_size=3, padding="same")(x)
        x = layers.BatchNormalization()(x)
        x = layers.ReLU()(x)
    x = layers.GlobalAveragePooling1D()(x)
    out = layers.Dense(2, activation="softmax")(x)
    return keras.Model(inp, out), "examples/timeseries/timeseries_classification_from_scratch.py"


def transformer_classifier():
    # timeseries/timeseries_classification_transformer.py: residuals as `x + inputs`.
    def encoder(inputs, head_size, num_heads, ff_dim):
        x = layers.MultiHeadAttention(key_dim=head_size, num_heads=num_heads, dropout=0.1)(inputs, inputs)
        x = layers.Dropout(0.1)(x)
        x = layers.LayerNormalization(epsilon=1e-6)(x)
        res = x + inputs
        x = layers.Conv1D(filters=ff_dim, kernel_size=1, activation="relu")(res)
        x = layers.Dropout(0.1)(x)
        x = layers.Conv1D(filters=inputs.shape[-1], kernel_size=1)(x)
        x = layers.LayerNormalization(epsilon=1e-6)(x)
        return x + res
    inp = keras.Input((12, 1))
    x = inp
    for _ in range(2):
        x = encoder(x, 4, 2, 4)
    x = layers.GlobalAveragePooling1D(data_format="channels_first")(x)
    x = layers.Dense(8, activation="relu")(x)
    x = layers.Dropout(0.1)(x)
    out = layers.Dense(2, activation="softmax")(x)
    return keras.Model(inp, out), "examples/timeseries/timeseries_classification_transformer.py"


def weather_lstm():
    # timeseries/timeseries_weather_forecasting.py
    inp = keras.layers.Input(shape=(10, 7))
    x = keras.layers.LSTM(8)(inp)
    out = keras.layers.Dense(1)(x)
    return keras.Model(inputs=inp, outputs=out), "examples/timeseries/timeseries_weather_forecasting.py"


def addition_rnn():
    # nlp/addition_rnn.py: LSTM encoder, RepeatVector, LSTM decoder, Dense softmax.
    m = keras.Sequential([
        layers.Input((7, 12)),
        layers.LSTM(16),
        layers.RepeatVector(4),
        layers.LSTM(16, return_sequences=True),
        layers.Dense(12, activation="softmax"),
    ])
    return m, "examples/nlp/addition_rnn.py"


def bidirectional_lstm_imdb():
    inp = keras.Input(shape=(None,), dtype="int32")
    x = layers.Embedding(50, 8)(inp)
    x = layers.Bidirectional(layers.LSTM(8, return_sequences=True))(x)
    x = layers.Bidirectional(layers.LSTM(8))(x)
    out = layers.Dense(1, activation="sigmoid")(x)
    return keras.Model(inp, out), "examples/nlp/bidirectional_lstm_imdb.py"


MODELS = {
    "timeseries_classification_from_scratch": (fcn_classifier, lambda r: [r.normal(size=(3, 20, 1))]),
    "timeseries_classification_transformer": (transformer_classifier, lambda r: [r.normal(size=(3, 12, 1))]),
    "timeseries_weather_forecasting": (weather_lstm, lambda r: [r.normal(size=(3, 10, 7))]),
    "addition_rnn": (addition_rnn, lambda r: [r.normal(size=(3, 7, 12))]),
    "bidirectional_lstm_imdb": (bidirectional_lstm_imdb, lambda r: [r.integers(0, 50, size=(3, 9))]),
}


def randomize_bn(model, rng):
    """Give every BatchNormalization non-trivial moving statistics."""
    for layer in model.layers:
        if isinstance(layer, layers.BatchNormalization):
            n = layer.moving_mean.shape[0]
            layer.moving_mean.assign(rng.normal(0, 0.5, n).astype("float32"))
            layer.moving_variance.assign(rng.uniform(0.5, 2.0, n).astype("float32"))
            layer.gamma.assign(rng.uniform(0.5, 1.5, n).astype("float32"))
            layer.beta.assign(rng.normal(0, 0.3, n).astype("float32"))


def write(name, build, make_x):
    keras.utils.set_random_seed(16)
    rng = np.random.default_rng(16)
    model, source = build()
    randomize_bn(model, rng)
    xs = [x.astype("int32") if x.dtype.kind == "i" else x.astype("float32") for x in make_x(rng)]
    ys = model.predict(xs if len(xs) > 1 else xs[0], verbose=0)
    ys = ys if isinstance(ys, list) else [ys]
    d = os.path.join(OUT, name)
    os.makedirs(d, exist_ok=True)
    model.save(os.path.join(d, "model.keras"))
    h5 = os.path.join(d, "model.h5")
    try:
        model.save(h5)
        back = keras.saving.load_model(h5, compile=False)
        np.testing.assert_allclose(back.predict(xs if len(xs) > 1 else xs[0], verbose=0)
                                   if len(ys) == 1 else ys[0], ys[0], atol=1e-6)
    except Exception as e:  # Keras cannot write or reload this model as .h5
        print(f"{name}: no h5 ({type(e).__name__}: {str(e)[:80]})")
        if os.path.exists(h5):
            os.remove(h5)
    for i, x in enumerate(xs):
        np.save(os.path.join(d, f"x{i}.npy"), x)
    for j, y in enumerate(ys):
        np.save(os.path.join(d, f"y{j}.npy"), np.asarray(y, dtype="float32"))
    meta = {"inputs": [t.name for t in model.inputs], "outputs": [t.name for t in model.outputs],
            "source": "keras-team/keras-io/" + source}
    with open(os.path.join(d, "meta.json"), "w") as f:
        json.dump(meta, f, indent=1)
    print(name, "ok")


if __name__ == "__main__":
    for name in (sys.argv[1:] or MODELS):
        write(name, *MODELS[name])
