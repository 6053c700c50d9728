"""Real Keras 3 models of CategoryEncoding and IntegerLookup (and StringLookup) for rnn4j's lookup fixture test (#13).

Run with the offline peers venv:  PY=$(/work/shared/bench/setup-peers.sh); $PY tools/keras-refs/lookup_refs.py [OUT]
OUT defaults to rnn4j-keras/src/test/resources/lookup-fixtures. Every case writes OUT/<case>/model.keras,
x0.npy (int32 ids, or unicode strings for StringLookup) and y0.npy (Keras's predictions, float32;
unicode strings for a StringLookup with invert=True).
Adapted layers keep their vocabulary in the zip's assets/<layer path>/vocabulary.txt and tf_idf
weights in model.weights.h5 (<layer path>/vars/idf_weights): both routes are covered.
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
                                                          "lookup-fixtures")
VOCAB = [12, 36, 1138, 42]
DATA = np.array([[12, 36, 12, 7], [42, 12, 1138, 36], [7, 7, 99, 12]], dtype=np.int32)


def one(layer, x, dtype="int32"):
    inp = keras.Input(x.shape[1:], dtype=dtype)
    return keras.Model(inp, layer(inp)), x


def adapted(layer, data):
    layer.adapt(data)
    return layer


def dense_after(layer, x, units=2):
    inp = keras.Input(x.shape[1:], dtype="int32")
    out = layers.Dense(units, kernel_initializer=keras.initializers.RandomNormal(seed=3),
                       bias_initializer=keras.initializers.RandomNormal(seed=4))(layer(inp))
    return keras.Model(inp, out), x


def cases():
    ids = np.array([[3, 2, 0, 1], [1, 1, 5, 4], [0, 0, 0, 2]], dtype=np.int32)
    x = np.array([[12, 36, 0, 5, 42], [1138, 7, 8, 0, 12], [-1, 36, 3, 2, 1138]], dtype=np.int32)
    c = {}
    c["category_one_hot"] = one(layers.CategoryEncoding(6, output_mode="one_hot"), ids[:, :1])
    c["category_one_hot_seq"] = one(layers.CategoryEncoding(6, output_mode="one_hot"), ids)
    c["category_count_dense"] = dense_after(layers.CategoryEncoding(6, output_mode="count"), ids, 3)
    c["category_multi_hot"] = one(layers.CategoryEncoding(6), ids)
    c["int_mask_two_oov"] = one(layers.IntegerLookup(vocabulary=VOCAB, mask_token=0, num_oov_indices=2), x)
    c["int_no_oov_in_vocab"] = one(layers.IntegerLookup(vocabulary=VOCAB, num_oov_indices=0),
                                   np.array([[12, 36], [1138, 42]], dtype=np.int32))
    c["int_special_tokens_listed"] = one(layers.IntegerLookup(vocabulary=[0, -1] + VOCAB, mask_token=0), x)
    c["int_invert"] = one(layers.IntegerLookup(vocabulary=VOCAB, mask_token=0, invert=True),
                          np.array([[0, 1, 2, 3], [4, 5, 6, 9]], dtype=np.int32))
    c["int_one_hot_padded"] = one(layers.IntegerLookup(vocabulary=VOCAB, output_mode="one_hot", max_tokens=8,
                                                       pad_to_max_tokens=True), x)
    c["int_multi_hot_mask"] = one(layers.IntegerLookup(vocabulary=VOCAB, output_mode="multi_hot", mask_token=0), x)
    c["int_count_dense"] = dense_after(layers.IntegerLookup(vocabulary=VOCAB, output_mode="count"), x)
    c["int_tf_idf_config"] = one(layers.IntegerLookup(vocabulary=VOCAB, output_mode="tf_idf",
                                                      idf_weights=[0.5, 0.25, 1.5, 0.75]), x)
    c["int_adapted"] = one(adapted(layers.IntegerLookup(), DATA), x)
    c["int_adapted_max_tokens_multi_hot"] = one(adapted(layers.IntegerLookup(max_tokens=4, output_mode="multi_hot"),
                                                        DATA), x)
    c["int_adapted_tf_idf"] = one(adapted(layers.IntegerLookup(output_mode="tf_idf"), DATA), x)
    words = np.array([["the", "cat", "sat"], ["a", "dog", "the"], ["", "zebra", "cat"]])
    docs = np.array([["the", "cat", "the"], ["dog", "the", "a"], ["cat", "sat", "on"]])
    c["str_vocab"] = one(layers.StringLookup(vocabulary=["the", "cat", "dog"]), words, "string")
    c["str_mask_adapted"] = one(adapted(layers.StringLookup(mask_token=""), docs), words, "string")
    c["str_no_oov_one_hot"] = one(layers.StringLookup(vocabulary=["the", "cat", "dog", "a", "sat", "", "zebra"],
                                                      num_oov_indices=0, output_mode="one_hot"), words, "string")
    c["str_adapted_tf_idf"] = one(adapted(layers.StringLookup(output_mode="tf_idf"), docs), words, "string")
    c["str_multi_hot_unicode"] = one(layers.StringLookup(vocabulary=["caf\u00e9", "na\u00efve", "\u732b"],
                                                         output_mode="multi_hot"),
                                     np.array([["caf\u00e9", "\u732b"], ["x", "na\u00efve"]]), "string")
    sinp = keras.Input((3,), dtype="string")
    lookup = layers.StringLookup(vocabulary=["the", "cat", "dog", "a"], output_mode="count")
    dense = layers.Dense(2, kernel_initializer=keras.initializers.RandomNormal(seed=5))
    c["str_count_dense"] = (keras.Model(sinp, dense(lookup(sinp))), words)
    c["str_sequential"] = (keras.Sequential([keras.Input((3,), dtype="string"),
                                             layers.StringLookup(vocabulary=["the", "cat", "dog", "a"],
                                                                 output_mode="multi_hot"),
                                             layers.Dense(2, kernel_initializer=keras.initializers.RandomNormal(seed=6))]),
                           words)
    # num_oov_indices > 1 (FarmHash64 / SipHash buckets) and invert=True for strings (#13)
    c["str_three_oov"] = one(layers.StringLookup(vocabulary=["the", "cat", "dog"], num_oov_indices=3), words, "string")
    c["str_salt_oov_count"] = one(layers.StringLookup(vocabulary=["the", "cat"], num_oov_indices=2, salt=[137, 42],
                                                      output_mode="count"), words, "string")
    c["str_mask_two_oov_adapted"] = one(adapted(layers.StringLookup(mask_token="", num_oov_indices=2), docs), words,
                                        "string")
    c["int_farmhash_oov"] = one(layers.IntegerLookup(vocabulary=VOCAB, num_oov_indices=3, oov_method="farmhash"), x)
    c["int_salt_oov_mask"] = one(layers.IntegerLookup(vocabulary=VOCAB, num_oov_indices=4, oov_method="farmhash",
                                                      salt=99, mask_token=0), x)
    inv_ids = np.array([[0, 1, 2, 3], [4, 5, 6, 2]], dtype=np.int64)
    c["str_invert"] = one(layers.StringLookup(vocabulary=["the", "cat", "dog"], mask_token="", invert=True), inv_ids,
                          "int64")
    c["str_invert_two_oov"] = one(layers.StringLookup(vocabulary=["caf\u00e9", "\u732b"], num_oov_indices=2,
                                                      oov_token="[OOV]", invert=True), inv_ids, "int64")
    return c


def as_saved(y):
    """Keras's predictions as saved: float32, or unicode text for a string output (TF gives bytes)."""
    y = np.asarray(y)
    if y.dtype.kind in "OS":
        return np.vectorize(lambda b: b.decode("utf-8") if isinstance(b, bytes) else str(b), otypes=[str])(y)
    return y.astype(np.float32)


def main():
    made = 0
    for name, (model, x) in cases().items():
        d = os.path.join(OUT, name)
        # Keras's predict takes strings as a tf.constant (numpy's unicode arrays are refused).
        y = model.predict(tf.constant(x) if x.dtype.kind == "U" else x, verbose=0)
        shutil.rmtree(d, ignore_errors=True)
        os.makedirs(d)
        model.save(os.path.join(d, "model.keras"))
        np.save(os.path.join(d, "x0.npy"), x)
        np.save(os.path.join(d, "y0.npy"), as_saved(y))
        made += 1
    print("lookup fixtures:", made, "in", OUT)


main()
