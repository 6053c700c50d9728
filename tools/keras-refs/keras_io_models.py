#!/usr/bin/env python3
"""Rebuild keras-io example models at small sizes with random weights (issue #16).

Writes, per model, into rnn4j-keras/src/test/resources/keras-io/<name>/: model.keras,
model.h5 (when Keras reloads it), x<i>.npy per input, y<j>.npy per output and meta.json
(input names, output names, source example). Run with the peer venv:
    PY=$(/work/shared/bench/setup-peers.sh); $PY tools/keras-refs/keras_io_models.py
Covers the keras-io examples listed in issue #16 (TextVectorization left out: token ids are fed).
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


def transformer_prenorm():
    # timeseries/timeseries_classification_transformer.py as published today (and on the Hub as
    # keras-io/timeseries_transformer_classification): pre-norm encoder blocks, `x + inputs`.
    def encoder(inputs, head_size, num_heads, ff_dim, dropout=0.1):
        x = layers.LayerNormalization(epsilon=1e-6)(inputs)
        x = layers.MultiHeadAttention(key_dim=head_size, num_heads=num_heads, dropout=dropout)(x, x)
        x = layers.Dropout(dropout)(x)
        res = x + inputs
        x = layers.LayerNormalization(epsilon=1e-6)(res)
        x = layers.Conv1D(filters=ff_dim, kernel_size=1, activation="relu")(x)
        x = layers.Dropout(dropout)(x)
        x = layers.Conv1D(filters=inputs.shape[-1], kernel_size=1)(x)
        return x + res
    inp = keras.Input((12, 1))
    x = inp
    for _ in range(2):
        x = encoder(x, 4, 2, 4)
    x = layers.GlobalAveragePooling1D(data_format="channels_first")(x)
    for dim in [8]:
        x = layers.Dense(dim, activation="relu")(x)
        x = layers.Dropout(0.1)(x)
    out = layers.Dense(2, activation="softmax")(x)
    return keras.Model(inp, out), "examples/timeseries/timeseries_classification_transformer.py (keras-io/timeseries_transformer_classification)"


def anomaly_autoencoder():
    # timeseries/timeseries_anomaly_detection.py: Conv1D encoder, Conv1DTranspose decoder.
    m = keras.Sequential([
        layers.Input(shape=(16, 1)),
        layers.Conv1D(filters=8, kernel_size=7, padding="same", strides=2, activation="relu"),
        layers.Dropout(rate=0.2),
        layers.Conv1D(filters=4, kernel_size=7, padding="same", strides=2, activation="relu"),
        layers.Conv1DTranspose(filters=4, kernel_size=7, padding="same", strides=2, activation="relu"),
        layers.Dropout(rate=0.2),
        layers.Conv1DTranspose(filters=8, kernel_size=7, padding="same", strides=2, activation="relu"),
        layers.Conv1DTranspose(filters=1, kernel_size=7, padding="same"),
    ])
    return m, "examples/timeseries/timeseries_anomaly_detection.py"


def lstm_vs_cnn_lstm():
    # lstm_vs_cnn_timeseries_classification: the recurrent model.
    m = keras.Sequential([
        layers.Input((16, 3)),
        layers.LSTM(8, return_sequences=True),
        layers.Dropout(0.2),
        layers.LSTM(8),
        layers.Dense(8, activation="relu"),
        layers.Dense(3, activation="softmax"),
    ])
    return m, "examples/timeseries/lstm_vs_cnn_timeseries_classification.py (LSTM model)"


def lstm_vs_cnn_cnn():
    # lstm_vs_cnn_timeseries_classification: the convolutional model (Conv1D + BatchNormalization).
    m = keras.Sequential([
        layers.Input((16, 3)),
        layers.Conv1D(8, 3, padding="same", activation="relu"),
        layers.BatchNormalization(),
        layers.MaxPooling1D(2),
        layers.Conv1D(8, 3, padding="same", activation="relu"),
        layers.BatchNormalization(),
        layers.GlobalAveragePooling1D(),
        layers.Dense(3, activation="softmax"),
    ])
    return m, "examples/timeseries/lstm_vs_cnn_timeseries_classification.py (CNN model)"


def multivariate_lstm():
    # multivariate_timeseries_forecasting_using_lstm (stock prices): stacked LSTMs with LeakyReLU.
    m = keras.Sequential([
        layers.Input((10, 5)),
        layers.LSTM(8, return_sequences=True),
        layers.LeakyReLU(negative_slope=0.5),
        layers.LSTM(8, return_sequences=True),
        layers.LeakyReLU(negative_slope=0.5),
        layers.Dropout(0.3),
        layers.LSTM(4),
        layers.Dropout(0.3),
        layers.Dense(1),
    ])
    return m, "examples/timeseries/multivariate_timeseries_forecasting_using_lstm.py"


def temperature_lstm():
    # timeseries_forecasting_with_lstm_for_temperature_prediction: LSTM over a window, Dense head.
    inp = keras.Input((12, 3))
    x = layers.LSTM(8, return_sequences=True)(inp)
    x = layers.LSTM(8)(x)
    x = layers.Dense(4, activation="relu")(x)
    out = layers.Dense(1)(x)
    return keras.Model(inp, out), "examples/timeseries/timeseries_forecasting_with_lstm_for_temperature_prediction.py"


FRAUD_FEATURES = [f"{agg}_{what}_{n}_days" for n in (7, 14, 28) for agg, what in
                  (("sum", "transactions"), ("count", "transactions"), ("sum", "fraud"),
                   ("count", "fraud"))][:12] + ["amount", "hour_of_day"]


def fraud_mlp():
    # timeseries/event_classification_for_payment_card_fraud_detection.py: one named (1,) input
    # per feature, concatenate, sigmoid MLP.
    inputs = [keras.Input(shape=(1,), name=name) for name in FRAUD_FEATURES]
    x = keras.layers.concatenate(inputs)
    x = keras.layers.Dense(32, activation="sigmoid")(x)
    x = keras.layers.Dense(16, activation="sigmoid")(x)
    x = keras.layers.Dense(1, activation="sigmoid")(x)
    return keras.Model(inputs=inputs, outputs=x), "examples/timeseries/event_classification_for_payment_card_fraud_detection.py"


def eeg_conv():
    # timeseries/eeg_signal_classification.py create_model, fewer filters and blocks' widths.
    inp = keras.Input(shape=(64, 1))
    x = inp
    for filters, k in ((4, 3), (4, 3), (8, 5), (8, 5), (8, 7), (8, 7)):
        x = layers.Conv1D(filters=filters, kernel_size=k, strides=2, activation="relu", padding="same")(x)
        x = layers.BatchNormalization()(x)
    x = layers.Dropout(0.2)(x)
    x = layers.Flatten()(x)
    x = layers.Dense(16, activation="relu")(x)
    x = layers.Dropout(0.2)(x)
    x = layers.Dense(16, activation="relu", kernel_regularizer=keras.regularizers.L2())(x)
    x = layers.Dropout(0.2)(x)
    x = layers.Dense(8, activation="relu", kernel_regularizer=keras.regularizers.L2())(x)
    x = layers.Dropout(0.2)(x)
    x = layers.Dense(8, activation="relu", kernel_regularizer=keras.regularizers.L2())(x)
    out = layers.Dense(3, activation="softmax")(x)
    return keras.Model(inputs=inp, outputs=out), "examples/timeseries/eeg_signal_classification.py"


def lstm_seq2seq():
    # nlp/lstm_seq2seq.py: encoder states initialise the decoder; two inputs.
    enc_in = keras.Input(shape=(None, 6))
    _, h, c = keras.layers.LSTM(8, return_state=True)(enc_in)
    dec_in = keras.Input(shape=(None, 7))
    dec, _, _ = keras.layers.LSTM(8, return_sequences=True, return_state=True)(dec_in, initial_state=[h, c])
    out = keras.layers.Dense(7, activation="softmax")(dec)
    return keras.Model([enc_in, dec_in], out), "examples/nlp/lstm_seq2seq.py"


def imdb_lstm():
    # imdb_lstm_sentiment (the classic keras imdb_lstm): Embedding, LSTM with dropouts, sigmoid.
    m = keras.Sequential([
        layers.Input((10,), dtype="int32"),
        layers.Embedding(40, 8),
        layers.LSTM(8, dropout=0.2, recurrent_dropout=0.2),
        layers.Dense(1, activation="sigmoid"),
    ])
    return m, "examples/nlp/imdb_lstm_sentiment.py"


def pretrained_embeddings():
    # nlp/pretrained_word_embeddings.py: frozen Embedding from a matrix, 3 Conv1D/MaxPooling1D(5).
    embedding_matrix = np.random.default_rng(5).normal(size=(30, 6)).astype("float32")
    embedding_layer = layers.Embedding(30, 6, trainable=False)
    embedding_layer.build((1,))
    embedding_layer.set_weights([embedding_matrix])
    int_sequences_input = keras.Input(shape=(None,), dtype="int32")
    x = embedding_layer(int_sequences_input)
    x = layers.Conv1D(8, 5, activation="relu")(x)
    x = layers.MaxPooling1D(5)(x)
    x = layers.Conv1D(8, 5, activation="relu")(x)
    x = layers.MaxPooling1D(5)(x)
    x = layers.Conv1D(8, 5, activation="relu")(x)
    x = layers.GlobalMaxPooling1D()(x)
    x = layers.Dense(8, activation="relu")(x)
    x = layers.Dropout(0.5)(x)
    preds = layers.Dense(4, activation="softmax")(x)
    return keras.Model(int_sequences_input, preds), "examples/nlp/pretrained_word_embeddings.py"


def text_cnn():
    # nlp/text_classification_from_scratch.py, fed token ids (TextVectorization left out).
    inputs = keras.Input(shape=(None,), dtype="int64")
    x = layers.Embedding(50, 8)(inputs)
    x = layers.Dropout(0.5)(x)
    x = layers.Conv1D(8, 7, padding="valid", activation="relu", strides=3)(x)
    x = layers.Conv1D(8, 7, padding="valid", activation="relu", strides=3)(x)
    x = layers.GlobalMaxPooling1D()(x)
    x = layers.Dense(8, activation="relu")(x)
    x = layers.Dropout(0.5)(x)
    predictions = layers.Dense(1, activation="sigmoid", name="predictions")(x)
    return keras.Model(inputs, predictions), "examples/nlp/text_classification_from_scratch.py"


def char_lstm():
    # generative/lstm_character_level_text_generation.py
    m = keras.Sequential([
        keras.Input(shape=(8, 10)),
        layers.LSTM(16),
        layers.Dense(10, activation="softmax"),
    ])
    return m, "examples/generative/lstm_character_level_text_generation.py"


def deepspeech2():
    # audio/ctc_asr.py build_model: Reshape, 2 Conv2D + BN + ReLU, Reshape, Bidirectional GRUs.
    input_dim, rnn_layers, rnn_units, output_dim = 8, 2, 4, 5
    input_spectrogram = layers.Input((None, input_dim), name="input")
    x = layers.Reshape((-1, input_dim, 1), name="expand_dim")(input_spectrogram)
    x = layers.Conv2D(filters=4, kernel_size=[11, 41], strides=[2, 2], padding="same",
                      use_bias=False, name="conv_1")(x)
    x = layers.BatchNormalization(name="conv_1_bn")(x)
    x = layers.ReLU(name="conv_1_relu")(x)
    x = layers.Conv2D(filters=4, kernel_size=[11, 21], strides=[1, 2], padding="same",
                      use_bias=False, name="conv_2")(x)
    x = layers.BatchNormalization(name="conv_2_bn")(x)
    x = layers.ReLU(name="conv_2_relu")(x)
    x = layers.Reshape((-1, x.shape[-2] * x.shape[-1]))(x)
    for i in range(1, rnn_layers + 1):
        recurrent = layers.GRU(units=rnn_units, activation="tanh", recurrent_activation="sigmoid",
                               use_bias=True, return_sequences=True, reset_after=True, name=f"gru_{i}")
        x = layers.Bidirectional(recurrent, name=f"bidirectional_{i}", merge_mode="concat")(x)
        if i < rnn_layers:
            x = layers.Dropout(rate=0.5)(x)
    x = layers.Dense(units=rnn_units * 2, name="dense_1")(x)
    x = layers.ReLU(name="dense_1_relu")(x)
    x = layers.Dropout(rate=0.5)(x)
    output = layers.Dense(units=output_dim + 1, activation="softmax")(x)
    return keras.Model(input_spectrogram, output, name="DeepSpeech_2"), "examples/audio/ctc_asr.py"


def conv_lstm():
    # vision/conv_lstm.py: 3 ConvLSTM2D + BatchNormalization, Conv3D sigmoid.
    inp = layers.Input(shape=(None, 8, 8, 1))
    x = layers.ConvLSTM2D(filters=4, kernel_size=(5, 5), padding="same", return_sequences=True, activation="relu")(inp)
    x = layers.BatchNormalization()(x)
    x = layers.ConvLSTM2D(filters=4, kernel_size=(3, 3), padding="same", return_sequences=True, activation="relu")(x)
    x = layers.BatchNormalization()(x)
    x = layers.ConvLSTM2D(filters=4, kernel_size=(1, 1), padding="same", return_sequences=True, activation="relu")(x)
    x = layers.Conv3D(filters=1, kernel_size=(3, 3, 3), activation="sigmoid", padding="same")(x)
    return keras.Model(inp, x), "examples/vision/conv_lstm.py"


MODELS = {
    "timeseries_classification_from_scratch": (fcn_classifier, lambda r: [r.normal(size=(3, 20, 1))]),
    "timeseries_classification_transformer": (transformer_classifier, lambda r: [r.normal(size=(3, 12, 1))]),
    "timeseries_weather_forecasting": (weather_lstm, lambda r: [r.normal(size=(3, 10, 7))]),
    "addition_rnn": (addition_rnn, lambda r: [r.normal(size=(3, 7, 12))]),
    "bidirectional_lstm_imdb": (bidirectional_lstm_imdb, lambda r: [r.integers(0, 50, size=(3, 9))]),
    "timeseries_transformer_classification": (transformer_prenorm, lambda r: [r.normal(size=(3, 12, 1))]),
    "timeseries_anomaly_detection": (anomaly_autoencoder, lambda r: [r.normal(size=(3, 16, 1))]),
    "lstm_vs_cnn_timeseries_classification_lstm": (lstm_vs_cnn_lstm, lambda r: [r.normal(size=(3, 16, 3))]),
    "lstm_vs_cnn_timeseries_classification_cnn": (lstm_vs_cnn_cnn, lambda r: [r.normal(size=(3, 16, 3))]),
    "multivariate_timeseries_forecasting_using_lstm": (multivariate_lstm, lambda r: [r.normal(size=(3, 10, 5))]),
    "timeseries_forecasting_with_lstm_for_temperature_prediction": (temperature_lstm, lambda r: [r.normal(size=(3, 12, 3))]),
    "event_classification_for_payment_card_fraud_detection": (fraud_mlp, lambda r: [r.normal(size=(3, 1)) for _ in FRAUD_FEATURES]),
    "eeg_signal_classification": (eeg_conv, lambda r: [r.normal(size=(3, 64, 1))]),
    "lstm_seq2seq": (lstm_seq2seq, lambda r: [r.normal(size=(3, 5, 6)), r.normal(size=(3, 4, 7))]),
    "imdb_lstm_sentiment": (imdb_lstm, lambda r: [r.integers(0, 40, size=(3, 10))]),
    "pretrained_word_embeddings": (pretrained_embeddings, lambda r: [r.integers(0, 30, size=(3, 150))]),
    "text_classification_from_scratch": (text_cnn, lambda r: [r.integers(0, 50, size=(3, 40))]),
    "lstm_character_level_text_generation": (char_lstm, lambda r: [r.normal(size=(3, 8, 10))]),
    "ctc_asr": (deepspeech2, lambda r: [r.normal(size=(3, 12, 8))]),
    "conv_lstm": (conv_lstm, lambda r: [r.uniform(size=(3, 4, 8, 8, 1))]),
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
