"""Keras's output mask of every single-input registry sample layer (#13: "masks as Keras propagates them").

Run with the offline peers venv:  PY=$(/work/shared/bench/setup-peers.sh); $PY tools/keras-refs/registry_masks.py [DIR]
DIR defaults to rnn4j-keras/src/test/resources/registry-samples. For every sample whose layer takes one
float input of rank >= 3 (batch, T, ...), it calls the layer's compute_mask(x0, mask) with the mask
"every step on, except the last step of sample 0" (as Layer.__call__ does: only when
supports_masking, else the mask is dropped) and writes DIR/masks.txt, one line per class:
"<Class> none" (Keras drops the mask) or "<Class> <batch> <time> <0/1 values...>" (the output mask).
RegistrySamplesMaskTest calls rnn4j's Layer.computeMask the same way.
"""
import os
import sys

os.environ.setdefault("KERAS_BACKEND", "tensorflow")
os.environ.setdefault("CUDA_VISIBLE_DEVICES", "")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np  # noqa: E402
import keras  # noqa: E402
from keras import ops  # noqa: E402

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
DIR = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "rnn4j-keras", "src", "test", "resources",
                                                          "registry-samples")
lines = []
for cls in sorted(os.listdir(DIR)):
    d = os.path.join(DIR, cls)
    if not os.path.exists(os.path.join(d, "model.keras")) or os.path.exists(os.path.join(d, "x1.npy")):
        continue
    x = np.load(os.path.join(d, "x0.npy"))
    if x.ndim < 3 or x.dtype.kind != "f":
        continue
    model = keras.saving.load_model(os.path.join(d, "model.keras"), compile=False, safe_mode=False)
    inner = [l for l in model.layers if not isinstance(l, keras.layers.InputLayer)]
    if len(inner) != 1:
        continue
    layer = inner[0]
    mask = np.ones(x.shape[:2], bool)
    mask[0, -1] = False
    if not layer.supports_masking:  # Layer.__call__ then drops the mask (it warns when one was attached)
        lines.append(f"{cls} none")
        continue
    try:
        out = layer.compute_mask(ops.convert_to_tensor(x), ops.convert_to_tensor(mask))
    except Exception as e:  # noqa: BLE001
        lines.append(f"{cls} error {type(e).__name__}")
        continue
    if isinstance(out, (list, tuple)):
        out = out[0]
    if out is None:
        lines.append(f"{cls} none")
        continue
    m = np.asarray(ops.convert_to_numpy(out)).astype(bool)
    if m.ndim != 2:
        lines.append(f"{cls} shape {'x'.join(map(str, m.shape))}")
        continue
    lines.append(f"{cls} {m.shape[0]} {m.shape[1]} " + " ".join("1" if v else "0" for v in m.ravel()))
with open(os.path.join(DIR, "masks.txt"), "w") as f:
    f.write("\n".join(lines) + "\n")
print(len(lines), "classes")
