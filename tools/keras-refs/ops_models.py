"""Real Keras 3 functional models with operation nodes (x + y, x[:, -1], keras.ops.mean, masks) (#16).

Run with the offline peers venv:  PY=$(/work/shared/bench/setup-peers.sh); $PY ops_models.py [OUT]
OUT defaults to rnn4j-keras/src/test/resources/ops-models. For every case it writes
OUT/<case>/model.keras (weights N(0, 0.3)), x0.npy... (inputs) and y0.npy... (Keras's predictions).
rnn4j's OpsModelsTest loads each, predicts within 1e-5, saves its copy and checks that Python Keras
predicts the same from it.
"""
import os
import shutil
import sys

os.environ.setdefault("KERAS_BACKEND", "tensorflow")
os.environ.setdefault("CUDA_VISIBLE_DEVICES", "")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np
import keras
from keras import layers, ops

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
OUT = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "rnn4j-keras", "src", "test", "resources", "ops-models")
rng = np.random.default_rng(20261207)


def masking_lstm():
    """Masking -> LSTM: Keras writes the mask as NotEqual + Any op nodes passed as the LSTM's mask."""
    inp = keras.Input((6, 3))
    y = layers.LSTM(2)(layers.Masking(0.0)(inp))
    x = rng.normal(size=(4, 6, 3)).astype("float32")
    x[0, 4:] = 0.0          # trailing zero steps
    x[1, 0] = 0.0           # leading and inner zero steps
    x[1, 3] = 0.0
    x[2, 2, 1] = 0.0        # a partly zero step stays real
    return keras.Model(inp, y), [x]


def embedding_mask_gru():
    inp = keras.Input((5,), dtype="int32")
    e = layers.Embedding(7, 3, mask_zero=True)(inp)
    y = layers.GRU(2, return_sequences=True)(e)
    x = np.array([[1, 2, 0, 0, 0], [3, 0, 4, 5, 6], [0, 0, 0, 1, 2]], dtype="int32")
    return keras.Model(inp, y), [x]


def explicit_mask():
    """lstm(x, mask=m) with m made by comparison and logical ops, not by a Masking layer."""
    inp = keras.Input((6, 3))
    s = ops.sum(ops.abs(inp), axis=-1)
    keep = ops.logical_or(ops.greater(s, 1.0), ops.less_equal(inp[:, :, 0], -2.0))
    real = ops.all(ops.not_equal(inp, 0.0), axis=-1)
    m = ops.logical_and(keep, ops.logical_not(ops.equal(ops.cast(real, "float32"), 0.0)))
    y = layers.LSTM(3, return_sequences=True)(inp, mask=ops.logical_or(m, ops.any(ops.greater_equal(inp, 1.5), axis=-1)))
    x = rng.normal(size=(3, 6, 3)).astype("float32")
    x[0, 2, 1] = 0.0
    x[2, 5] = 0.0
    return keras.Model(inp, y), [x]


def transformer_classifier():
    """keras-io timeseries_classification_transformer, small: residuals as x + inputs, ops.mean pooling."""
    inp = keras.Input((8, 4))
    x = inp
    for _ in range(2):
        h = layers.LayerNormalization(epsilon=1e-6)(x)
        h = layers.MultiHeadAttention(key_dim=4, num_heads=2, dropout=0.1)(h, h)
        h = layers.Dropout(0.1)(h)
        res = h + x
        h = layers.LayerNormalization(epsilon=1e-6)(res)
        h = layers.Conv1D(filters=6, kernel_size=1, activation="relu")(h)
        h = layers.Dropout(0.1)(h)
        h = layers.Conv1D(filters=4, kernel_size=1)(h)
        x = h + res
    x = ops.mean(x, axis=1)
    x = layers.Dense(8, activation="relu")(x)
    x = layers.Dropout(0.2)(x)
    y = layers.Dense(3, activation="softmax")(x)
    return keras.Model(inp, y), [rng.normal(size=(3, 8, 4)).astype("float32")]


def ops_mix():
    """x * mask, x[:, -1, :], concatenate and most other supported ops, with constants."""
    a = keras.Input((5, 4))
    w = keras.Input((5, 1))
    x = layers.Dense(4, activation="tanh")(a)
    x = x * w
    last = x[:, -1, :]
    first = x[:, 0]
    mid = ops.mean(x[:, 1:4, :], axis=1)
    t = ops.transpose(x, (0, 2, 1))                  # (b, 4, 5)
    g = ops.matmul(t, x) / 5.0                       # (b, 4, 4)
    g = ops.softmax(g, axis=-1)
    r = ops.reshape(g, (-1, 16))
    e = ops.squeeze(ops.expand_dims(ops.max(x, axis=1), 1), axis=1)
    mn = ops.min(x, axis=1, keepdims=True)[:, 0, :]
    sq = ops.sqrt(ops.abs(last) + 1e-3) - ops.square(first)
    lg = ops.log(ops.exp(mid) + 1.0)
    act = ops.relu(sq) + ops.sigmoid(lg) * ops.tanh(-e)
    s = ops.sum(x, axis=[1, 2], keepdims=False)
    s = ops.expand_dims(s, -1)
    z = ops.concatenate([last, act, r, mn, s, ops.negative(first) - 1.0], axis=-1)
    y = layers.Dense(3)(z)
    xs = [rng.normal(size=(3, 5, 4)).astype("float32"), rng.uniform(0, 1, size=(3, 5, 1)).astype("float32")]
    return keras.Model([a, w], y), xs


CASES = {f.__name__: f for f in [masking_lstm, embedding_mask_gru, explicit_mask, transformer_classifier, ops_mix]}


def main():
    for name, make in CASES.items():
        keras.utils.set_random_seed(7)
        model, xs = make()
        for v in model.weights:
            v.assign(rng.normal(0, 0.3, size=v.shape).astype(v.dtype))
        ys = model.predict(xs if len(xs) > 1 else xs[0], verbose=0)
        d = os.path.join(OUT, name)
        shutil.rmtree(d, ignore_errors=True)
        os.makedirs(d)
        model.save(os.path.join(d, "model.keras"))
        for i, x in enumerate(xs):
            np.save(os.path.join(d, f"x{i}.npy"), x)
        for j, y in enumerate(ys if isinstance(ys, (list, tuple)) else [ys]):
            np.save(os.path.join(d, f"y{j}.npy"), np.asarray(y, dtype=np.float32))
        print(name)


def train_fixture():
    """x + y residuals and keras.ops.mean, Adam(0.01) + mse, two train_on_batch steps (ops-train/residual_mean).

    Writes model.keras (before training), x0.npy, t0.npy (targets), loss.npy (the two steps' losses)
    and w<step>_<i>.npy (every variable, model.weights order, after each step).
    """
    keras.utils.set_random_seed(11)
    inp = keras.Input((5, 3))
    h = layers.Dense(3, activation="tanh")(inp)
    x = h + inp
    x = layers.LayerNormalization()(x)
    y = layers.Conv1D(3, 2, padding="same")(x)
    x = (y + x) * 0.5 - ops.mean(x, axis=1, keepdims=True)
    x = ops.mean(x, axis=1)
    out = layers.Dense(2)(x)
    model = keras.Model(inp, out)
    for v in model.weights:
        v.assign(rng.normal(0, 0.4, size=v.shape).astype(v.dtype))
    d = os.path.join(os.path.dirname(OUT), "ops-train", "residual_mean")
    shutil.rmtree(d, ignore_errors=True)
    os.makedirs(d)
    model.save(os.path.join(d, "model.keras"))
    xs = rng.normal(size=(6, 5, 3)).astype("float32")
    ts = rng.normal(size=(6, 2)).astype("float32")
    np.save(os.path.join(d, "x0.npy"), xs)
    np.save(os.path.join(d, "t0.npy"), ts)
    model.compile(optimizer=keras.optimizers.Adam(learning_rate=0.01), loss="mse")
    losses = []
    for step in (1, 2):
        logs = model.train_on_batch(xs, ts, return_dict=True)
        losses.append(logs["loss"])
        for i, v in enumerate(model.weights):
            np.save(os.path.join(d, f"w{step}_{i}.npy"), np.asarray(v.numpy(), dtype=np.float32))
    np.save(os.path.join(d, "loss.npy"), np.asarray(losses, dtype=np.float32))
    print("train residual_mean", losses)


if __name__ == "__main__":
    if not os.environ.get("OPS_TRAIN_ONLY"):
        main()
    train_fixture()
