#!/usr/bin/env python3
"""Generate Keras 3 two-step training reference fixtures for rnn4j (issue #9).

How to run (from the repository root; the output is committed, tests never run Python):

    PY=$(/work/shared/bench/setup-peers.sh)      # offline venv: Keras 3.15.1, TensorFlow 2.21.0
    KERAS_BACKEND=tensorflow CUDA_VISIBLE_DEVICES= \
        $PY tools/keras-refs/make_train_fixtures.py [OUT_DIR]

OUT_DIR defaults to rnn4j-core/src/test/resources/keras-train. Generated with Keras 3.15.1,
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
    ("activity_regularizers", case_activity_regularizers),
    ("group_norm", case_group_norm),
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
    reloaded = keras.saving.load_model(os.path.join(d, "model.keras"), compile=False)
    rp = reloaded.predict(xin, batch_size=len(x[0]), verbose=0)
    rp = rp if isinstance(rp, (list, tuple)) else [rp]
    for a, b in zip(preds, rp):
        assert np.allclose(a, b, atol=1e-6), "reloaded .keras differs"

    if spec.get("y_as_dict"):
        yin = {n: yj for n, yj in zip(output_names, y)}
    else:
        yin = y if len(y) > 1 else y[0]

    activity0 = activity_losses(model, xin)   # before training changes the weights
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
    # [OUT_DIR] [CASE...]: with case names, only those are (re)made and merged into index.json,
    # so adding a case does not rewrite the others' files.
    args = sys.argv[1:]
    out_root = os.path.abspath(args[0] if args else DEFAULT_OUT)
    only = set(args[1:])
    os.makedirs(out_root, exist_ok=True)
    index = dict(keras_version=keras.__version__, backend=keras.backend.backend(),
                 tensorflow_version=tf.__version__, numpy_version=np.__version__,
                 weight_rule="RandomState(crc32(variable.path)).normal(shape) * 0.4",
                 cases=[])
    # ONLY=name[,name...] (or case names after OUT_DIR) regenerates just those cases, keeping the
    # other entries of index.json
    only = only | {n for n in os.environ.get("ONLY", "").split(",") if n}
    if only and os.path.exists(os.path.join(out_root, "index.json")):
        with open(os.path.join(out_root, "index.json")) as f:
            index["cases"] = json.load(f)["cases"]
    for name, build in CASES:
        if only and name not in only:
            continue
        case = run_case(name, build, out_root)
        index["cases"] = [c for c in index["cases"] if c["name"] != name]
        index["cases"].append(case)
        print(name, json.dumps(case["logs"]))
    order = [n for n, _ in CASES]
    index["cases"].sort(key=lambda c: order.index(c["name"]) if c["name"] in order else len(order))
    write_json(os.path.join(out_root, "index.json"), index)


if __name__ == "__main__":
    main()
