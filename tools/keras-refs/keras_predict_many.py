#!/usr/bin/env python3
"""Python Keras 3 predictions for many saved models in one process (TensorFlow starts once).

Usage:  keras_predict_many.py DIR
For every DIR/<case>/ holding model.keras and x0.npy, x1.npy, ... it loads the model
(keras.saving.load_model(compile=False)), predicts the inputs in order and writes
DIR/<case>/py_y<j>.npy per output (float32, or unicode text for a string output); a case that fails gets DIR/<case>/py_error.txt instead.
Exits 0 unless DIR is missing. rnn4j's RegistrySamplesTest calls it on the copies rnn4j saved.
"""
import os
import sys
import traceback

os.environ.setdefault("KERAS_BACKEND", "tensorflow")
os.environ.setdefault("CUDA_VISIBLE_DEVICES", "")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")


def main():
    if len(sys.argv) != 2 or not os.path.isdir(sys.argv[1]):
        print("usage: keras_predict_many.py DIR", file=sys.stderr)
        return 2
    import numpy as np
    import tensorflow as tf
    import keras
    root = sys.argv[1]
    for case in sorted(os.listdir(root)):
        d = os.path.join(root, case)
        model_path = os.path.join(d, "model.keras")
        if not os.path.isfile(model_path):
            continue
        try:
            model = keras.saving.load_model(model_path, compile=False)
            xs = []
            while os.path.isfile(os.path.join(d, f"x{len(xs)}.npy")):
                xs.append(np.load(os.path.join(d, f"x{len(xs)}.npy")))
            # Keras's predict takes strings as a tf.constant (numpy's unicode arrays are refused).
            xs = [tf.constant(x) if x.dtype.kind == "U" else x for x in xs]
            ys = model.predict(xs if len(xs) > 1 else xs[0], verbose=0)
            for j, y in enumerate(ys if isinstance(ys, (list, tuple)) else [ys]):
                y = np.asarray(y)
                if y.dtype.kind in "OS":  # a string output (StringLookup invert=True): TF gives bytes
                    y = np.vectorize(lambda b: b.decode("utf-8") if isinstance(b, bytes) else str(b), otypes=[str])(y)
                else:
                    y = y.astype(np.float32)
                np.save(os.path.join(d, f"py_y{j}.npy"), y)
        except Exception:
            with open(os.path.join(d, "py_error.txt"), "w") as f:
                f.write(traceback.format_exc())
    return 0


sys.exit(main())
