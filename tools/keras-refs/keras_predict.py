#!/usr/bin/env python3
"""Run Python Keras 3 on a saved model and write its predictions (issue #9).

Usage:
    keras_predict.py MODEL_PATH OUT_DIR X0.npy [X1.npy ...]

Loads MODEL_PATH (a Keras 3 `.keras` zip or a legacy `.h5` file) with
`keras.saving.load_model(path, compile=False)`, feeds the inputs X0.npy, X1.npy, ... (in the
model's input order, one batch, dtypes as stored) to `model.predict`, and writes one
`y<j>.npy` per model output, in output order, into OUT_DIR (created if missing). Prints the
written files on stdout. On any failure it prints `keras_predict: error: ...` on stderr and
exits with status 1 (2 for bad usage).

Run with the peer venv (Keras 3.15.1, TensorFlow 2.21.0):
    PY=$(/work/shared/bench/setup-peers.sh)
    $PY tools/keras-refs/keras_predict.py model.keras /tmp/out x0.npy x1.npy
The backend defaults to tensorflow on CPU (override with KERAS_BACKEND). rnn4j's Java tests
call this to check that files rnn4j writes load in Keras with the same predictions; they skip
when the venv is absent, so the build never needs Python.
"""
import os
import sys

os.environ.setdefault("KERAS_BACKEND", "tensorflow")
os.environ.setdefault("CUDA_VISIBLE_DEVICES", "")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

USAGE = "usage: keras_predict.py MODEL_PATH OUT_DIR X0.npy [X1.npy ...]"


def fail(msg, code=1):
    sys.stderr.write(f"keras_predict: error: {msg}\n")
    sys.exit(code)


def main(argv):
    if len(argv) < 3 or argv[0] in ("-h", "--help"):
        sys.stderr.write(USAGE + "\n")
        sys.exit(0 if argv and argv[0] in ("-h", "--help") else 2)
    model_path, out_dir, x_paths = argv[0], argv[1], argv[2:]
    if not os.path.isfile(model_path):
        fail(f"model file not found: {model_path}")
    if not model_path.endswith((".keras", ".h5", ".hdf5")):
        fail(f"model file must end in .keras, .h5 or .hdf5: {model_path}")

    try:
        import numpy as np
        import keras
    except Exception as e:  # noqa: BLE001
        fail(f"cannot import numpy/keras: {e}")

    xs = []
    for p in x_paths:
        try:
            xs.append(np.load(p, allow_pickle=False))
        except Exception as e:  # noqa: BLE001
            fail(f"cannot read input {p}: {e}")

    try:
        model = keras.saving.load_model(model_path, compile=False)
    except Exception as e:  # noqa: BLE001
        fail(f"Keras {keras.__version__} cannot load {model_path}: {type(e).__name__}: {e}")

    n_in = len(model.inputs)
    if len(xs) != n_in:
        fail(f"model has {n_in} input(s) "
             f"({', '.join(t.name for t in model.inputs)}), got {len(xs)} .npy file(s)")
    batch = {x.shape[0] if x.ndim else None for x in xs}
    if len(batch) != 1 or None in batch:
        fail(f"inputs must share one batch size, got shapes {[x.shape for x in xs]}")

    try:
        y = model.predict(xs if n_in > 1 else xs[0], batch_size=max(1, batch.pop()), verbose=0)
    except Exception as e:  # noqa: BLE001
        fail(f"predict failed: {type(e).__name__}: {e}")
    ys = list(y) if isinstance(y, (list, tuple)) else [y]
    if isinstance(y, dict):
        fail("model returned a dict of outputs; expected a list")

    try:
        os.makedirs(out_dir, exist_ok=True)
        for j, yj in enumerate(ys):
            path = os.path.join(out_dir, f"y{j}.npy")
            np.save(path, np.asarray(yj))
            print(path)
    except Exception as e:  # noqa: BLE001
        fail(f"cannot write outputs to {out_dir}: {e}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
