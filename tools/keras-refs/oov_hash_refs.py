"""TensorFlow's OOV hashes for rnn4j's pure-Java copies (IndexLookup with num_oov_indices > 1, #13).

Run with the offline peers venv:  PY=$(/work/shared/bench/setup-peers.sh); $PY tools/keras-refs/oov_hash_refs.py [OUT]
OUT defaults to rnn4j-core/src/test/resources/org/rnn4j/layers/preprocessing/oov_hash_refs.txt. One line per string:

    HEX FINGERPRINT64 FAST7 FAST1000003 STRONG7 STRONG1000003

HEX is the UTF-8 bytes ("-" for the empty string); FINGERPRINT64 is tf.fingerprint(farmhash64) as an
unsigned decimal; FAST<n> is tf.strings.to_hash_bucket_fast(s, n); STRONG<n> is
tf.strings.to_hash_bucket_strong(s, n, key=[137, 42]). The strings cover every FarmHash length branch
(0..16, 17..32, 33..64, > 64 with one and several 64-byte blocks), SipHash tails of 0..7 bytes,
non-ASCII text and the decimal forms Keras hashes for integers (tf.strings.as_string).
"""
import os
import sys

os.environ.setdefault("CUDA_VISIBLE_DEVICES", "")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np
import tensorflow as tf

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
OUT = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
    ROOT, "rnn4j-core", "src", "test", "resources", "org", "rnn4j", "layers", "preprocessing", "oov_hash_refs.txt")

rng = np.random.default_rng(20261207)
alphabet = "abcdefghijklmnopqrstuvwxyz0123456789 \u00e9\u732b\U0001F600"
strings = ["", "a", "x", "y", "z", "w", "v", "u", "aaa", "bbb", "[UNK]", "caf\u00e9", "\u732b", "\U0001F600"]
strings += [str(i) for i in (-1, 0, 7, 99, 100, 200, 300, 400, 700, 1100, 1700, 2000, 16777216, -123456)]
for n in list(range(1, 34)) + [40, 63, 64, 65, 100, 127, 128, 129, 200, 300]:
    strings.append("".join(rng.choice(list("abcdefghijklmnopqrstuvwxyz0123456789")) for _ in range(n)))
for n in (5, 20, 50, 90):
    strings.append("".join(rng.choice(list(alphabet)) for _ in range(n)))

t = tf.constant(strings)
fp = tf.fingerprint(t, method="farmhash64").numpy()
cols = [tf.strings.to_hash_bucket_fast(t, 7), tf.strings.to_hash_bucket_fast(t, 1000003),
        tf.strings.to_hash_bucket_strong(t, 7, key=[137, 42]), tf.strings.to_hash_bucket_strong(t, 1000003, key=[137, 42])]
cols = [c.numpy() for c in cols]
with open(OUT, "w") as f:
    f.write("# TensorFlow %s: tools/keras-refs/oov_hash_refs.py\n" % tf.__version__)
    for i, s in enumerate(strings):
        hexs = s.encode("utf-8").hex() or "-"
        fp64 = int.from_bytes(fp[i].tobytes(), "little")
        f.write(" ".join([hexs, str(fp64)] + [str(int(c[i])) for c in cols]) + "\n")
print(len(strings), "strings in", OUT)
