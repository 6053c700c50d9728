#!/usr/bin/env python3
"""Keras 3.15.1 (TensorFlow backend) values and d(loss)/d(y_pred) of the losses added for issue #13
(Hinge, SquaredHinge, CategoricalHinge, CosineSimilarity, KLDivergence, Dice, Tversky, Circle,
CategoricalGeneralizedCrossEntropy), read by rnn4j's MoreLossesKerasRefsTest.

Run from the repository root (the output is committed; tests never run Python):
    PY=$(/work/shared/bench/setup-peers.sh)
    $PY tools/keras-refs/more_losses_refs.py [OUT_FILE]
OUT_FILE defaults to rnn4j-core/src/test/resources/losses-refs/more_losses.txt.

Inputs are sin/cos patterns plus hand-placed edge cases: hinge margins exactly 0 (TF's maximum
passes the gradient on a tie), equal maxima in CategoricalHinge (reduce_max splits the gradient),
a zero vector for CosineSimilarity, KL values outside [1e-7, 1] (clipped, no gradient), a Circle
sample without positives (masked out of the mean), Dice/Tversky over chosen axes.
Format, one block per case: `case NAME`, `class CLS`, `config k=v ...` (lists as a,b; none = null),
`yt|yp|sw SHAPE values` (SHAPE like 2x3, `-` for a scalar), `value v`, `grad values`.
"""
import os
import sys

os.environ.setdefault("KERAS_BACKEND", "tensorflow")
os.environ.setdefault("CUDA_VISIBLE_DEVICES", "")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402
import keras  # noqa: E402

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
OUT = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
    ROOT, "rnn4j-core", "src", "test", "resources", "losses-refs", "more_losses.txt")


def wave(*shape, phase=0.0, step=0.37, scale=1.0, offset=0.0):
    n = int(np.prod(shape))
    return (offset + scale * np.sin(step * np.arange(n) + phase)).reshape(shape).astype(np.float32)


def fmt(a):
    return " ".join(str(v) for v in np.asarray(a, dtype=np.float32).ravel())   # shortest float32 round trip


def shape_of(a):
    return "x".join(str(d) for d in a.shape) if a.ndim else "-"


def cfg_value(v):
    if v is None:
        return "none"
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (list, tuple)):
        return ",".join(str(x) for x in v)
    return str(v)


lines = []


def case(name, loss, yt, yp, sw=None):
    yt = np.asarray(yt, dtype=np.float32)
    yp = np.asarray(yp, dtype=np.float32)
    p = tf.Variable(yp)
    with tf.GradientTape() as tape:
        v = loss(yt, p) if sw is None else loss(yt, p, sample_weight=sw)
        total = tf.reduce_sum(v)   # reduction=None: the sum of the weighted values, as rnn4j's compute
    g = tape.gradient(total, p)
    g = np.zeros_like(yp) if g is None else g.numpy()
    assert np.all(np.isfinite(g)), (name, g)
    cfg = loss.get_config()
    lines.append(f"case {name}")
    lines.append(f"class {type(loss).__name__}")
    lines.append("config " + " ".join(f"{k}={cfg_value(x)}" for k, x in cfg.items()))
    lines.append(f"yt {shape_of(yt)} {fmt(yt)}")
    lines.append(f"yp {shape_of(yp)} {fmt(yp)}")
    if sw is not None:
        sw = np.asarray(sw, dtype=np.float32)
        lines.append(f"sw {shape_of(sw)} {fmt(sw)}")
    lines.append(f"value {float(total.numpy())!r}")
    lines.append(f"grad {fmt(g)}")


L = keras.losses
REDUCTIONS = ["sum_over_batch_size", "sum", "mean_with_sample_weight", None]

# hinge family: 0/1 targets (converted), -1/1 targets, margins exactly 0 at [0,0] and [1,2]
pm1 = np.where(wave(4, 3, phase=0.2) > 0, 1.0, -1.0).astype(np.float32)
bits = (pm1 + 1) / 2
hp = wave(4, 3, phase=1.1, scale=1.5)
hp[0, 0] = pm1[0, 0]      # 1 - t p == 0
hp[1, 2] = pm1[1, 2]
sw_rows = np.array([0.5, 1.0, 2.0, 0.0], dtype=np.float32)
for cls in (L.Hinge, L.SquaredHinge):
    for r in REDUCTIONS:
        case(f"{cls.__name__}-pm1-{r}", cls(reduction=r), pm1, hp, sw_rows)
    case(f"{cls.__name__}-bits", cls(), bits, hp)
    case(f"{cls.__name__}-nonbinary", cls(), np.where(bits > 0, 1.0, 0.5), hp)   # not all 0/1: unconverted
onehot = np.eye(3, dtype=np.float32)[[0, 2, 1, 1]]
chp = wave(4, 3, phase=0.4, scale=2.0)
chp[3] = [0.7, 0.3, 0.7]     # equal maxima of (1 - t) p (true class 1)
chp[2] = [-1.5, 0.6, -0.5]   # the true class's 0 is the max of (1 - t) p
for r in REDUCTIONS:
    case(f"CategoricalHinge-{r}", L.CategoricalHinge(reduction=r), onehot, chp, np.array([0.5, 1.0, 2.0, 1.5], np.float32))
case("CategoricalHinge-3d", L.CategoricalHinge(), np.eye(4, dtype=np.float32)[[0, 3, 1, 2, 2, 0]].reshape(2, 3, 4),
     wave(2, 3, 4, phase=0.9))

# cosine: a zero prediction row and a zero target row
ct = wave(3, 4, phase=0.3)
cp = wave(3, 4, phase=2.0, scale=0.8)
cp[1] = 0.0
ct[2] = 0.0
for r in REDUCTIONS:
    case(f"CosineSimilarity-{r}", L.CosineSimilarity(reduction=r), ct, cp, np.array([1.0, 2.0, 0.5], np.float32))
case("CosineSimilarity-timestep", L.CosineSimilarity(), wave(2, 3, 1, phase=0.1), wave(2, 3, 1, phase=1.9),
     wave(2, 3, offset=1.0, scale=0.5))
case("CosineSimilarity-tiny", L.CosineSimilarity(), wave(2, 3, phase=0.3),   # norm < 1e-7: 1/epsilon cap
     np.array([[1e-9, -2e-9, 3e-9], [0.5, -0.2, 0.1]], np.float32))
case("CosineSimilarity-3d", L.CosineSimilarity(), wave(2, 2, 5, phase=0.6), wave(2, 2, 5, phase=2.5))

# KL: probabilities, with values to clip on both sides
kt = wave(3, 4, phase=0.5, scale=0.45, offset=0.5)
kp = wave(3, 4, phase=1.7, scale=0.45, offset=0.5)
kt[0, 1] = 0.0
kp[1, 2] = 1.3
kp[2, 0] = 1e-9
for r in REDUCTIONS:
    case(f"KLDivergence-{r}", L.KLDivergence(reduction=r), kt, kp, np.array([[1.0], [0.0], [2.5]], np.float32))

# Dice / Tversky: all axes, chosen axes, negative axis, with weights
st = (wave(2, 3, 4, phase=0.2) > 0).astype(np.float32)
sp = wave(2, 3, 4, phase=1.3, scale=0.45, offset=0.5)
for axis in (None, (1, 2), (-1,), (0, 2)):
    for r in REDUCTIONS:
        case(f"Dice-{axis}-{r}", L.Dice(axis=axis, reduction=r), st, sp)
        case(f"Tversky-{axis}-{r}", L.Tversky(alpha=0.3, beta=0.7, axis=axis, reduction=r), st, sp)
case("Dice-None-weighted", L.Dice(), st, sp, np.array([1.0, 3.0], np.float32))
case("Dice-12-weighted", L.Dice(axis=(1, 2)), st, sp, np.array([1.0, 3.0], np.float32))
case("Tversky-None-weighted-mws", L.Tversky(alpha=0.2, beta=0.8, reduction="mean_with_sample_weight"), st, sp,
     np.array([1.0, 3.0], np.float32))

# Circle: unit rows; label 7 has no positive (masked); small gamma keeps float32 honest
emb = wave(7, 4, phase=0.8, step=0.61)
emb /= np.linalg.norm(emb, axis=1, keepdims=True)
lab = np.array([1, 1, 2, 2, 7, 1, 2], np.float32)
csw = np.array([2.0, 1.0, 0.5, 1.0, 3.0, 1.5, 1.0], np.float32)
for r in REDUCTIONS:
    case(f"Circle-{r}", L.Circle(gamma=8.0, margin=0.4, reduction=r), lab, emb, csw)
case("Circle-default", L.Circle(), lab, emb)
case("Circle-nodiag", L.Circle(gamma=16.0, margin=0.25, remove_diagonal=False), lab.reshape(7, 1), emb)

# generalized cross-entropy: integer labels, probabilities, segmentation-shaped
gl = np.array([0, 2, 1, 1, 0], np.float32)
gp = wave(5, 3, phase=0.7, scale=0.4, offset=0.5)
for r in REDUCTIONS:
    case(f"GCE-{r}", L.CategoricalGeneralizedCrossEntropy(q=0.7, reduction=r), gl, gp, np.arange(1, 6, dtype=np.float32))
case("GCE-seg", L.CategoricalGeneralizedCrossEntropy(), np.array([[0, 1], [2, 1]], np.float32),
     wave(2, 2, 3, phase=0.1, scale=0.4, offset=0.5))

with open(OUT, "w") as f:
    f.write(f"# Keras {keras.__version__}, TensorFlow {tf.__version__}: tools/keras-refs/more_losses_refs.py\n")
    f.write("\n".join(lines) + "\n")
print("wrote", OUT, sum(1 for x in lines if x.startswith("case ")), "cases")
