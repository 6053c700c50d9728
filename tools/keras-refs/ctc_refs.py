#!/usr/bin/env python3
"""Keras 3.15.1 CTC loss values and d(loss)/d(logits), read by rnn4j's MoreLossesKerasRefsTest.

Run from the repository root (the output is committed; tests never run Python):
    PY=$(/work/shared/bench/setup-peers.sh)
    $PY tools/keras-refs/ctc_refs.py [OUT_FILE]
OUT_FILE defaults to rnn4j-core/src/test/resources/losses-refs/ctc.txt.

JAX backend: TensorFlow's dense ctc_loss gives no gradient to a GradientTape here, and the JAX
backend's values equal the TensorFlow ones (checked below against tf.nn.ctc_loss, the TF
backend's implementation, in a subprocess) to float32 rounding. Cases: repeated labels, a 0
inside the first label_length labels (Keras counts non-zero labels but takes the first ones),
an empty label row, sample weights under every reduction. Same format as more_losses_refs.py.
"""
import os
import subprocess
import sys

os.environ["KERAS_BACKEND"] = "jax"
os.environ.setdefault("CUDA_VISIBLE_DEVICES", "")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import jax  # noqa: E402
import jax.numpy as jnp  # noqa: E402
import numpy as np  # noqa: E402
import keras  # noqa: E402

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
OUT = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
    ROOT, "rnn4j-core", "src", "test", "resources", "losses-refs", "ctc.txt")


def fmt(a):
    return " ".join(str(v) for v in np.asarray(a, dtype=np.float32).ravel())


rs = np.random.RandomState(7)
logits = rs.normal(size=(4, 6, 5)).astype(np.float32)
labels = np.array([[1, 3, 3, 0], [2, 0, 4, 1], [4, 4, 1, 2], [0, 0, 0, 0]], np.float32)
sw = np.array([1.0, 0.5, 2.0, 1.5], np.float32)
lines = []
tf_check = []
for r in ["sum_over_batch_size", "sum", "mean_with_sample_weight", None]:
    loss = keras.losses.CTC(reduction=r)
    f = lambda z: jnp.sum(loss(labels, z, sample_weight=sw))  # noqa: E731
    v, g = jax.value_and_grad(f)(logits)
    lines += [f"case CTC-{r}", "class CTC",
              f"config name=ctc reduction={'none' if r is None else r}",
              f"yt 4x4 {fmt(labels)}", f"yp 4x6x5 {fmt(logits)}", f"sw 4 {fmt(sw)}",
              f"value {float(v)!r}", f"grad {fmt(g)}"]
per_sample = np.asarray(keras.losses.CTC(reduction=None)(labels, logits))

# the TF backend's per-sample values for the same inputs
code = f"""
import os
os.environ["KERAS_BACKEND"] = "tensorflow"; os.environ["TF_CPP_MIN_LOG_LEVEL"] = "3"
import numpy as np, keras
rs = np.random.RandomState(7)
logits = rs.normal(size=(4, 6, 5)).astype(np.float32)
labels = np.array({labels.astype(int).tolist()})
print(" ".join(repr(float(x)) for x in np.asarray(keras.losses.CTC(reduction=None)(labels, logits))))
"""
out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
tf_values = np.array([float(x) for x in out])
assert np.allclose(tf_values, per_sample, rtol=1e-6, atol=1e-6), (tf_values, per_sample)

with open(OUT, "w") as fh:
    fh.write(f"# Keras {keras.__version__}, JAX {jax.__version__} (values equal the TF backend's): "
             "tools/keras-refs/ctc_refs.py\n")
    fh.write("\n".join(lines) + "\n")
print("wrote", OUT, "TF per-sample", tf_values, "JAX", per_sample)
