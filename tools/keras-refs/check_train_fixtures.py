#!/usr/bin/env python3
"""Re-derive the keras-train fixtures' two update steps by hand (issue #9).

    PY=$(/work/shared/bench/setup-peers.sh)
    $PY tools/keras-refs/check_train_fixtures.py [FIXTURE_DIR]

For every case: loads model.keras (compile=False), checks it holds w_init_*, takes the loss's
gradient with tf.GradientTape and applies the textbook update of the case's optimizer
(Keras 3.15 conventions, written out below), and compares with w_step1_* / w_step2_* and with
the `loss` in logs.json. Prints the worst differences; exits 1 if any exceeds 1e-5. Handy as
an executable statement of what rnn4j must reproduce:
  SGD(momentum m):  v = m*v - lr*g;  w += v                          (v starts at 0)
  Adam:             m = b1*m + (1-b1)*g;  v = b2*v + (1-b2)*g^2;
                    w -= lr*sqrt(1-b2^t)/(1-b1^t) * m / (sqrt(v) + eps)   (t = 1, 2, ...)
  RMSprop:          a = rho*a + (1-rho)*g^2;  w -= lr*g / sqrt(a + eps)  (a starts at 0)
  loss = sum_k loss_weight_k * mean_over_batch(loss_k); mse averages the last axis first;
  categorical_crossentropy clips the (renormalised) probabilities to [1e-7, 1-1e-7].
"""
import json
import os
import sys

os.environ.setdefault("KERAS_BACKEND", "tensorflow")
os.environ.setdefault("CUDA_VISIBLE_DEVICES", "")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402
import keras  # noqa: E402

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
DEFAULT_DIR = os.path.join(ROOT, "rnn4j-core", "src", "test", "resources", "keras-train")


def loss_fn(name):
    if name == "mse":
        return lambda y, p: tf.reduce_mean(tf.reduce_mean(tf.square(p - y), -1))
    if name == "categorical_crossentropy":
        def cce(y, p):
            p = p / tf.reduce_sum(p, -1, keepdims=True)
            p = tf.clip_by_value(p, 1e-7, 1 - 1e-7)
            return tf.reduce_mean(-tf.reduce_sum(y * tf.math.log(p), -1))
        return cce
    if name == "hinge":   # 0/1 targets of the whole batch become -1/1
        def hinge(y, p):
            binary = tf.reduce_all(tf.logical_or(tf.equal(y, 0.0), tf.equal(y, 1.0)))
            t = tf.where(binary, 2.0 * y - 1.0, y)
            return tf.reduce_mean(tf.reduce_mean(tf.maximum(1.0 - t * p, 0.0), -1))
        return hinge
    if name == "kl_divergence":
        def kld(y, p):
            t = tf.clip_by_value(y, 1e-7, 1.0)
            q = tf.clip_by_value(p, 1e-7, 1.0)
            return tf.reduce_mean(tf.reduce_sum(t * tf.math.log(t / q), -1))
        return kld
    if name == "dice":    # axis=None: one number for the batch
        return lambda y, p: 1.0 - 2.0 * tf.reduce_sum(y * p) / (tf.reduce_sum(y) + tf.reduce_sum(p) + 1e-7)
    raise ValueError(name)


class Opt:
    def __init__(self, spec, n):
        self.cls, self.c = spec["class_name"], spec["config"]
        self.t = 0
        self.s1 = [None] * n
        self.s2 = [None] * n

    def step(self, ws, gs):
        self.t += 1
        c, out = self.c, []
        lr = np.float32(c["learning_rate"])
        for k, (w, g) in enumerate(zip(ws, gs)):
            if self.s1[k] is None:
                self.s1[k], self.s2[k] = np.zeros_like(w), np.zeros_like(w)
            if self.cls == "SGD":
                self.s1[k] = c["momentum"] * self.s1[k] - lr * g
                out.append(w + self.s1[k])
            elif self.cls == "Adam":
                b1, b2, eps = c["beta_1"], c["beta_2"], c["epsilon"]
                self.s1[k] = b1 * self.s1[k] + (1 - b1) * g
                self.s2[k] = b2 * self.s2[k] + (1 - b2) * g * g
                alpha = lr * np.sqrt(1 - b2 ** self.t) / (1 - b1 ** self.t)
                out.append(w - alpha * self.s1[k] / (np.sqrt(self.s2[k]) + eps))
            elif self.cls == "RMSprop":
                assert not c["centered"] and c["momentum"] == 0
                self.s1[k] = c["rho"] * self.s1[k] + (1 - c["rho"]) * g * g
                out.append(w - lr * g / np.sqrt(self.s1[k] + c["epsilon"]))
            else:
                raise ValueError(self.cls)
        return out


def check(d):
    comp = json.load(open(os.path.join(d, "compile.json")))
    logs = json.load(open(os.path.join(d, "logs.json")))
    model = keras.saving.load_model(os.path.join(d, "model.keras"), compile=False)
    n = len(model.weights)
    assert len(model.trainable_variables) == n
    w = {t: [np.load(os.path.join(d, f"w_{t}_{k}.npy")) for k in range(n)]
         for t in ("init", "step1", "step2")}
    for v, a in zip(model.weights, w["init"]):
        assert np.array_equal(v.numpy(), a), v.path
    xs = [np.load(os.path.join(d, f"x{i}.npy")) for i in range(len(model.inputs))]
    names = comp["output_names"]
    ys = [np.load(os.path.join(d, f"y{j}.npy")) for j in range(len(names))]
    losses = [loss_fn(comp["loss"][n_] if isinstance(comp["loss"], dict) else comp["loss"])
              for n_ in names]
    lw = comp["loss_weights"] or {}
    opt = Opt(comp["optimizer"], n)
    cur, worst = w["init"], 0.0
    for s, tag in ((1, "step1"), (2, "step2")):
        for v, a in zip(model.weights, cur):
            v.assign(a)
        with tf.GradientTape() as tape:
            out = model(xs if len(xs) > 1 else xs[0], training=True)
            out = out if isinstance(out, (list, tuple)) else [out]
            total = sum(lw.get(n_, 1.0) * f(y, p) for n_, f, y, p in zip(names, losses, ys, out))
        gs = [g.numpy() for g in tape.gradient(total, model.trainable_variables)]
        cur = opt.step(cur, gs)
        dw = max(float(np.abs(a - b).max()) for a, b in zip(cur, w[tag]))
        dl = abs(float(total) - logs[tag]["loss"])
        worst = max(worst, dw, dl)
        print(f"{os.path.basename(d)} {tag}: loss {float(total):.7f} "
              f"(keras {logs[tag]['loss']:.7f}), max |dw| {dw:.2e}")
        cur = w[tag]  # continue from Keras's own weights
    return worst


def main():
    root = sys.argv[1] if len(sys.argv) > 1 else DEFAULT_DIR
    # the layer-chain cases have no model.keras (LayerTrainingParityTest rebuilds them): not checked here
    cases = sorted(c for c in os.listdir(root) if os.path.isfile(os.path.join(root, c, "logs.json"))
                   and os.path.isfile(os.path.join(root, c, "model.keras")))
    worst = max(check(os.path.join(root, c)) for c in cases)
    print("worst difference", worst)
    sys.exit(0 if worst < 1e-5 else 1)


if __name__ == "__main__":
    main()
