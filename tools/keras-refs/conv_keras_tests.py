"""Ports the literal-valued assertions of Keras 3.15's own conv and pooling tests to rnn4j.

Run with the offline peers venv:  PY=$(/work/shared/bench/setup-peers.sh); $PY conv_keras_tests.py OUT_DIR
Runs Keras's test modules (conv_test, separable_conv_test, depthwise_conv_test, pooling/*_test)
with two recorders and writes OUT_DIR/keras_conv_tests.txt (read by KerasConvOwnTestsTest.java):

  * run_layer_test(...) with an expected_output_shape: the layer's config, input shape, expected
    output shape and trainable weight count (the call itself is skipped: it only checks shapes);
        # shape FILE TEST
        layer CLASS {config}
        inshape D,D,...   outshape D,D,...   trainable N
  * assertAllClose(actual, expected): the last eager call of a conv/pooling layer before it (config,
    weights, input, mask) and Keras's expected value with the assertion's tolerances:
        # value FILE TEST
        layer CLASS {config}
        in SHAPE VALUES / mask SHAPE VALUES / w SHAPE VALUES... / expected SHAPE VALUES
        tol ATOL RTOL

Also prints per file the number of assertions recorded (the note's ported counts).
"""
import collections
import json
import os
import sys
import unittest

os.environ.setdefault("KERAS_BACKEND", "tensorflow")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import types

import numpy as np


def _stub_pytest():
    """The venv has no pytest; the test modules only use its markers (no-ops here)."""
    if "pytest" in sys.modules:
        return
    try:
        import pytest  # noqa: F401
        return
    except ImportError:
        pass

    class _Mark:
        def __getattr__(self, name):
            def marker(*args, **kwargs):
                if len(args) == 1 and callable(args[0]) and not kwargs:
                    return args[0]
                return lambda f: f
            return marker

    stub = types.ModuleType("pytest")
    stub.mark = _Mark()
    sys.modules["pytest"] = stub


_stub_pytest()
import keras
from keras.src import testing
from keras.src.layers.layer import Layer

MODULES = [
    "keras.src.layers.convolutional.conv_test",
    "keras.src.layers.convolutional.separable_conv_test",
    "keras.src.layers.convolutional.depthwise_conv_test",
    "keras.src.layers.pooling.max_pooling_test",
    "keras.src.layers.pooling.average_pooling_test",
    "keras.src.layers.pooling.global_max_pooling_test",
    "keras.src.layers.pooling.global_average_pooling_test",
]
SUPPORTED = {"Conv1D", "Conv2D", "Conv3D", "SeparableConv1D", "SeparableConv2D", "DepthwiseConv1D",
             "DepthwiseConv2D", "MaxPooling1D", "MaxPooling2D", "MaxPooling3D", "AveragePooling1D",
             "AveragePooling2D", "AveragePooling3D", "GlobalMaxPooling1D", "GlobalMaxPooling2D",
             "GlobalMaxPooling3D", "GlobalAveragePooling1D", "GlobalAveragePooling2D",
             "GlobalAveragePooling3D"}


def fmt(a):
    a = np.asarray(a).astype(np.float32)
    return ",".join(str(d) for d in a.shape) + " " + " ".join(repr(float(v)) for v in a.reshape(-1))


def config_of(layer):
    cfg = layer.get_config()
    for k in ("name", "trainable", "dtype"):
        cfg.pop(k, None)
    return json.dumps(cfg)


lines = []
counts = collections.Counter()
skipped = collections.Counter()
state = {"file": None, "test": None, "last": None}

orig_call = Layer.__call__


def recording_call(self, *args, **kwargs):
    out = orig_call(self, *args, **kwargs)
    name = type(self).__name__
    x = args[0] if args else kwargs.get("inputs")
    if name in SUPPORTED and not isinstance(x, keras.KerasTensor):
        mask = kwargs.get("mask", args[1] if len(args) > 1 else None)
        try:
            state["last"] = {
                "cls": name, "config": config_of(self), "in": np.asarray(x),
                "mask": None if mask is None else np.asarray(mask),
                "w": [np.asarray(w.numpy()) for w in self.weights], "out": np.asarray(out),
            }
        except (NotImplementedError, TypeError, ValueError):
            state["last"] = None  # traced (symbolic) call: nothing eager to record
    return out


def recording_run_layer_test(self, layer_cls, init_kwargs, input_shape=None, expected_output_shape=None,
                             expected_num_trainable_weights=None, **kw):
    key = state["file"]
    # LoRA (lora_rank) is a training option rnn4j does not have: not these layers' shapes.
    if expected_output_shape is None or layer_cls.__name__ not in SUPPORTED or init_kwargs.get("lora_rank"):
        skipped[key] += 1
        return
    layer = layer_cls(**init_kwargs)
    lines.append("# shape %s %s" % (key, state["test"]))
    lines.append("layer %s %s" % (layer_cls.__name__, config_of(layer)))
    lines.append("inshape " + ",".join(map(str, input_shape)))
    lines.append("outshape " + ",".join(map(str, expected_output_shape)))
    lines.append("trainable %d" % (expected_num_trainable_weights or 0))
    counts[key] += 1


orig_close = testing.TestCase.assertAllClose


def recording_close(self, actual, desired, atol=1e-6, rtol=1e-6, tpu_atol=None, tpu_rtol=None, msg=None):
    orig_close(self, actual, desired, atol=atol, rtol=rtol, msg=msg)
    last = state["last"]
    key = state["file"]
    # Only an assertion on the recorded call's own output is this layer's number.
    try:
        mine = last is not None and np.shape(actual) == last["out"].shape and np.allclose(
            np.asarray(actual), last["out"], atol=atol, rtol=rtol, equal_nan=True)
    except (TypeError, ValueError):
        mine = False
    if not mine:
        skipped[key] += 1
        print("not recordable:", key, state["test"], file=sys.stderr)
        return
    lines.append("# value %s %s" % (key, state["test"]))
    lines.append("layer %s %s" % (last["cls"], last["config"]))
    lines.append("in " + fmt(last["in"]))
    if last["mask"] is not None:
        lines.append("mask " + fmt(last["mask"]))
    for w in last["w"]:
        lines.append("w " + fmt(w))
    lines.append("expected " + fmt(desired))
    lines.append("tol %r %r" % (float(atol), float(rtol)))
    counts[key] += 1


Layer.__call__ = recording_call
testing.TestCase.run_layer_test = recording_run_layer_test
testing.TestCase.assertAllClose = recording_close


class Recorder(unittest.TextTestResult):
    def startTest(self, test):
        state["test"] = test.id().split(".")[-1]
        state["last"] = None
        super().startTest(test)


for mod in MODULES:
    state["file"] = mod.replace("keras.src.", "keras/src/").replace(".", "/") + ".py"
    suite = unittest.defaultTestLoader.loadTestsFromName(mod)
    # LoRA, quantization and saving tests are not about these layers' numbers.
    result = unittest.TextTestRunner(stream=open(os.devnull, "w"), resultclass=Recorder).run(suite)
    for t, e in result.errors + result.failures:
        print("keras test failed under the recorder:", t.id(), e.splitlines()[-1], file=sys.stderr)

out = sys.argv[1] if len(sys.argv) > 1 else "."
import gzip
# gzip: the conv3d correctness tests' random inputs are large (Keras draws them unseeded).
with gzip.open(os.path.join(out, "keras_conv_tests.txt.gz"), "wt", compresslevel=9) as f:
    f.write("# Made by tools/keras-refs/conv_keras_tests.py from Keras " + keras.__version__ + "'s own tests\n")
    f.write("\n".join(lines) + "\n")
for k in sorted(set(counts) | set(skipped)):
    print("%s: %d recorded, %d not recordable" % (k, counts[k], skipped[k]))
