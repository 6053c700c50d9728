"""One small real Keras 3 model per layer class, for rnn4j's registry round-trip test (#16).

Run with the offline peers venv:  PY=$(/work/shared/bench/setup-peers.sh); $PY registry_samples.py [OUT]
OUT defaults to rnn4j-keras/src/test/resources/registry-samples. For every Keras class name below
it writes OUT/<ClassName>/model.keras (a functional model around that layer, every weight set to
N(0, 0.3), BatchNormalization variances positive), x0.npy... (inputs) and y0.npy... (Keras's
predictions). RegistrySamplesTest loads every class rnn4j's LayerRegistry registers from its
sample (a registered class without a sample fails the test) and checks that the classes it does
not register fail with the loader's "not supported" error. Add a case here for every new layer.
"""
import os
import shutil
import sys

os.environ.setdefault("KERAS_BACKEND", "tensorflow")
os.environ.setdefault("CUDA_VISIBLE_DEVICES", "")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np
import tensorflow as tf
import keras
from keras import layers

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
OUT = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "rnn4j-keras", "src", "test", "resources",
                                                          "registry-samples")
rng = np.random.default_rng(20261207)


def f(*shape):
    return keras.Input(shape)


def seq(layer, shape=(6, 4)):
    """A model of one layer (made lazily: a class this Keras lacks is skipped) on a float input of (batch,) + shape."""
    return [keras.Input(shape)], lambda xs: layer()(xs[0])


def cases():
    c = {}
    c["Dense"] = seq(lambda: layers.Dense(3, activation="tanh"), (5,))
    c["Dropout"] = seq(lambda: layers.Dropout(0.3), (5,))
    c["Flatten"] = seq(lambda: layers.Flatten(), (3, 4))
    c["SimpleRNN"] = seq(lambda: layers.SimpleRNN(3, return_sequences=True))
    c["LSTM"] = seq(lambda: layers.LSTM(3))
    c["GRU"] = seq(lambda: layers.GRU(3, return_sequences=True))
    c["Bidirectional"] = seq(lambda: layers.Bidirectional(layers.LSTM(2)))
    c["TimeDistributed"] = seq(lambda: layers.TimeDistributed(layers.Dense(2)))
    c["Conv1D"] = seq(lambda: layers.Conv1D(3, 2, padding="causal", dilation_rate=2, activation="relu"), (8, 2))
    c["Conv2D"] = seq(lambda: layers.Conv2D(2, 3, padding="same"), (5, 5, 2))
    c["Conv3D"] = seq(lambda: layers.Conv3D(2, 2), (4, 4, 4, 2))
    c["Conv1DTranspose"] = seq(lambda: layers.Conv1DTranspose(2, 3, strides=2), (5, 3))
    c["Conv2DTranspose"] = seq(lambda: layers.Conv2DTranspose(2, 3, strides=2, padding="same"), (4, 4, 2))
    c["SeparableConv1D"] = seq(lambda: layers.SeparableConv1D(3, 3, depth_multiplier=2), (8, 2))
    c["DepthwiseConv1D"] = seq(lambda: layers.DepthwiseConv1D(3), (8, 2))
    c["MaxPooling1D"] = seq(lambda: layers.MaxPooling1D(2), (8, 2))
    c["MaxPooling2D"] = seq(lambda: layers.MaxPooling2D(2), (4, 4, 2))
    c["MaxPooling3D"] = seq(lambda: layers.MaxPooling3D(2), (4, 4, 4, 2))
    c["AveragePooling1D"] = seq(lambda: layers.AveragePooling1D(2), (8, 2))
    c["AveragePooling2D"] = seq(lambda: layers.AveragePooling2D(2), (4, 4, 2))
    c["AveragePooling3D"] = seq(lambda: layers.AveragePooling3D(2), (4, 4, 4, 2))
    c["GlobalAveragePooling1D"] = seq(lambda: layers.GlobalAveragePooling1D(), (6, 3))
    c["GlobalMaxPooling1D"] = seq(lambda: layers.GlobalMaxPooling1D(), (6, 3))
    c["GlobalAveragePooling2D"] = seq(lambda: layers.GlobalAveragePooling2D(), (4, 4, 3))
    c["GlobalMaxPooling2D"] = seq(lambda: layers.GlobalMaxPooling2D(), (4, 4, 3))
    c["GlobalAveragePooling3D"] = seq(lambda: layers.GlobalAveragePooling3D(), (3, 3, 3, 2))
    c["GlobalMaxPooling3D"] = seq(lambda: layers.GlobalMaxPooling3D(), (3, 3, 3, 2))
    c["UpSampling1D"] = seq(lambda: layers.UpSampling1D(2), (4, 3))
    c["UpSampling2D"] = seq(lambda: layers.UpSampling2D(2), (3, 3, 2))
    c["ZeroPadding1D"] = seq(lambda: layers.ZeroPadding1D(2), (4, 3))
    c["ZeroPadding2D"] = seq(lambda: layers.ZeroPadding2D(1), (3, 3, 2))
    c["Cropping1D"] = seq(lambda: layers.Cropping1D((1, 2)), (6, 3))
    c["Cropping2D"] = seq(lambda: layers.Cropping2D(1), (5, 5, 2))
    # weight regularizers, constraints and dropout change no prediction: the file must still load and save them
    c["ConvLSTM1D"] = seq(lambda: layers.ConvLSTM1D(2, 3, padding="same", kernel_regularizer="l2", dropout=0.25,
                                                    recurrent_constraint=keras.constraints.UnitNorm(axis=[0, 1])),
                          (3, 6, 2))
    c["ConvLSTM2D"] = seq(lambda: layers.ConvLSTM2D(
        2, 3, padding="same", kernel_regularizer=keras.regularizers.L1L2(l1=0.01, l2=0.02),
        recurrent_regularizer=keras.regularizers.L1(0.03), bias_regularizer=keras.regularizers.L2(0.04),
        kernel_constraint=keras.constraints.MaxNorm(2.0), recurrent_constraint="non_neg",
        bias_constraint=keras.constraints.MinMaxNorm(0.1, 1.5, rate=0.5), dropout=0.2, recurrent_dropout=0.3,
        seed=5), (3, 4, 4, 2))
    emb_in = keras.Input((6,), dtype="int32")
    c["Embedding"] = ([emb_in], lambda xs: layers.Embedding(10, 3, mask_zero=True)(xs[0]))
    c["SpatialDropout1D"] = seq(lambda: layers.SpatialDropout1D(0.3), (6, 3))
    c["SpatialDropout2D"] = seq(lambda: layers.SpatialDropout2D(0.3), (4, 4, 3))
    c["SpatialDropout3D"] = seq(lambda: layers.SpatialDropout3D(0.3), (3, 3, 3, 2))
    c["GaussianNoise"] = seq(lambda: layers.GaussianNoise(0.2), (5,))
    c["GaussianDropout"] = seq(lambda: layers.GaussianDropout(0.2), (5,))
    c["AlphaDropout"] = seq(lambda: layers.AlphaDropout(0.2), (5,))
    c["ActivityRegularization"] = seq(lambda: layers.ActivityRegularization(l1=0.01), (5,))
    c["Identity"] = seq(lambda: layers.Identity(), (5,))
    c["Activation"] = seq(lambda: layers.Activation("softplus"), (5,))
    c["LeakyReLU"] = seq(lambda: layers.LeakyReLU(negative_slope=0.2), (5,))
    c["PReLU"] = seq(lambda: layers.PReLU(shared_axes=[1]), (6, 3))
    c["ELU"] = seq(lambda: layers.ELU(alpha=0.7), (5,))
    c["ReLU"] = seq(lambda: layers.ReLU(max_value=0.8, negative_slope=0.1, threshold=0.1), (5,))
    c["Softmax"] = seq(lambda: layers.Softmax(axis=1), (4, 3))
    c["RepeatVector"] = seq(lambda: layers.RepeatVector(3), (4,))
    c["Reshape"] = seq(lambda: layers.Reshape((2, -1)), (3, 4))
    c["Permute"] = seq(lambda: layers.Permute((2, 1)), (3, 4))
    # Sequential: in a functional model Keras 3.15 writes Masking's mask as NotEqual/Any op nodes
    # passed to the next layer's `mask` argument (a case for the op-node tests, not this one).
    c["Masking"] = lambda: keras.Sequential([keras.Input((6, 3)), layers.Masking(0.0), layers.LSTM(2)],
                                            name="masking_sample")
    c["Normalization"] = seq(lambda: layers.Normalization(mean=[0.5, -0.2, 0.1], variance=[2.0, 0.5, 1.5]), (3,))
    c["BatchNormalization"] = seq(lambda: layers.BatchNormalization(), (6, 3))
    c["LayerNormalization"] = seq(lambda: layers.LayerNormalization(), (6, 3))
    c["UnitNormalization"] = seq(lambda: layers.UnitNormalization(), (6, 3))
    c["GroupNormalization"] = seq(lambda: layers.GroupNormalization(groups=2), (6, 4))
    c["CategoryEncoding"] = ([keras.Input((3,), dtype="int32")],
                             lambda xs: layers.CategoryEncoding(num_tokens=6, output_mode="multi_hot")(xs[0]))
    c["IntegerLookup"] = ([keras.Input((3,), dtype="int32")],
                          lambda xs: layers.IntegerLookup(vocabulary=[12, 36, 1138, 42])(xs[0]))
    c["SimpleRNNCell"] = seq(lambda: layers.RNN(layers.SimpleRNNCell(3)))
    c["LSTMCell"] = seq(lambda: layers.RNN(layers.LSTMCell(3), return_sequences=True))
    c["GRUCell"] = seq(lambda: layers.RNN(layers.GRUCell(3)))
    c["StackedRNNCells"] = seq(lambda: layers.RNN(layers.StackedRNNCells([layers.LSTMCell(3), layers.GRUCell(2)])))
    c["RNN"] = seq(lambda: layers.RNN(layers.LSTMCell(2), go_backwards=True))
    for name, cls in [("Concatenate", layers.Concatenate), ("Add", layers.Add), ("Subtract", layers.Subtract),
                      ("Multiply", layers.Multiply), ("Average", layers.Average), ("Maximum", layers.Maximum),
                      ("Minimum", layers.Minimum)]:
        c[name] = ([keras.Input((4,)), keras.Input((4,))], (lambda k: lambda xs: k()(xs))(cls))
    c["Dot"] = ([keras.Input((3, 4)), keras.Input((5, 4))], lambda xs: layers.Dot(axes=2)(xs))
    c["Attention"] = ([keras.Input((3, 4)), keras.Input((5, 4))],
                      lambda xs: layers.Attention(use_scale=True)(xs))
    c["AdditiveAttention"] = ([keras.Input((3, 4)), keras.Input((5, 4))],
                              lambda xs: layers.AdditiveAttention()(xs))
    c["MultiHeadAttention"] = ([keras.Input((3, 4)), keras.Input((5, 4))],
                               lambda xs: layers.MultiHeadAttention(
                                   num_heads=2, key_dim=3, kernel_constraint=keras.constraints.MaxNorm(1.5),
                                   bias_constraint="non_neg")(xs[0], xs[1]))
    c["DepthwiseConv2D"] = seq(lambda: layers.DepthwiseConv2D(3, depth_multiplier=2), (5, 5, 2))
    c["SeparableConv2D"] = seq(lambda: layers.SeparableConv2D(3, 3, padding="same"), (5, 5, 2))
    c["ConvLSTM3D"] = seq(lambda: layers.ConvLSTM3D(2, 2, padding="same", bias_regularizer="l1", recurrent_dropout=0.2,
                                                    kernel_constraint="unit_norm"), (2, 3, 3, 3, 1))
    # Last, so that adding it left the random draws of the samples above unchanged.
    c["StringLookup"] = ([keras.Input((3,), dtype="string")],
                         lambda xs: layers.StringLookup(vocabulary=["the", "cat", "sat"], mask_token="")(xs[0]))
    # New samples go below, in the order they were added, so earlier samples keep their random draws.
    c["Conv3DTranspose"] = seq(lambda: layers.Conv3DTranspose(2, (2, 3, 2), strides=(2, 1, 2), output_padding=(1, 0, 0)),
                               (3, 2, 3, 2))
    return c


def randomize(model):
    for v in model.weights:
        shape = tuple(v.shape)
        if "moving_variance" in v.path or "variance" == v.path.split("/")[-1]:
            w = rng.uniform(0.5, 2.0, size=shape)
        elif v.dtype.startswith("int") or "count" in v.path:
            continue
        else:
            w = rng.normal(size=shape) * 0.3
        v.assign(np.asarray(w, dtype=v.dtype))


def sample_input(inp):
    shape = (3,) + tuple(inp.shape[1:])
    if inp.dtype == "string":
        return rng.choice(["the", "cat", "sat", "", "dog"], size=shape)
    if inp.dtype.startswith("int"):
        if shape[-1] == 3 and len(shape) == 2:
            return rng.choice([12, 36, 1138, 42, 7], size=shape).astype(np.int32)
        return rng.integers(0, 6, size=shape).astype(np.int32)
    return rng.normal(size=shape).astype(np.float32)


def main():
    made = 0
    for name, case in cases().items():
        d = os.path.join(OUT, name)
        try:
            if callable(case):
                model = case()
                inputs = model.inputs
            else:
                inputs, body = case
                model = keras.Model(inputs, body(inputs), name=name.lower() + "_sample")
            randomize(model)
            xs = [sample_input(i) for i in inputs]
            if name == "IntegerLookup":
                xs = [sample_input(inputs[0])]
            # Keras's predict takes strings as a tf.constant (numpy's unicode arrays are refused).
            feed = [tf.constant(x) if x.dtype.kind == "U" else x for x in xs]
            ys = model.predict(feed if len(feed) > 1 else feed[0], verbose=0)
        except Exception as e:   # a class this Keras lacks: no sample
            print("skip", name, type(e).__name__, str(e)[:200], file=sys.stderr)
            continue
        shutil.rmtree(d, ignore_errors=True)
        os.makedirs(d)
        model.save(os.path.join(d, "model.keras"))
        for i, x in enumerate(xs):
            np.save(os.path.join(d, f"x{i}.npy"), x)
        for i, y in enumerate(ys if isinstance(ys, list) else [ys]):
            np.save(os.path.join(d, f"y{i}.npy"), np.asarray(y, dtype=np.float32))
        made += 1
    print("samples:", made, "in", OUT)


main()
