"""Legacy .h5 copies and Keras's summary text of the registry samples (#13).

Run after registry_samples.py, with the offline peers venv:
    PY=$(/work/shared/bench/setup-peers.sh); $PY tools/keras-refs/registry_samples_h5.py [DIR]
DIR defaults to rnn4j-keras/src/test/resources/registry-samples. For every DIR/<ClassName>/model.keras
it writes model.h5 (Keras's legacy HDF5 format, the same weights) and summary.txt (model.summary()
at Keras's default functional width). The existing model.keras, x*.npy and y*.npy are not touched;
RegistrySamplesTest loads the .h5 against the same y*.npy and compares the summary rows.
"""
import os
import sys

os.environ.setdefault("KERAS_BACKEND", "tensorflow")
os.environ.setdefault("CUDA_VISIBLE_DEVICES", "")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ["COLUMNS"] = "200"   # summary width is min(108, columns - 4): pin Keras's default
import keras  # noqa: E402

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
DIR = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "rnn4j-keras", "src", "test", "resources",
                                                          "registry-samples")
for cls in sorted(os.listdir(DIR)):
    d = os.path.join(DIR, cls)
    path = os.path.join(d, "model.keras")
    if not os.path.exists(path):
        continue
    model = keras.saving.load_model(path, compile=False, safe_mode=False)
    try:
        model.save(os.path.join(d, "model.h5"))
    except Exception as e:  # a class Keras cannot write to HDF5: no .h5 for it
        print(cls, "no h5:", type(e).__name__, str(e)[:120])
    lines = []
    model.summary(print_fn=lambda text, line_break=False: lines.append(text))
    text = "".join(lines)
    with open(os.path.join(d, "summary.txt"), "w") as f:
        f.write(text if text.endswith("\n") else text + "\n")
